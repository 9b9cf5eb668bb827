import { TASK_ROWS_RETAINED_MAX, type AppState, type TaskRow } from '../../events/app-state.js';
import type { TaskSummary } from '../../events/task-summary.js';
import { formatBytes, formatMs, html, type Html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';
import { notFoundPage } from './not-found-page.js';

/** Sortable columns of the task table: the `sort` query parameter, its header, and the value it sorts by. */
const COLUMNS: readonly { key: string; title: string; value: (t: TaskRow) => number | string }[] = [
  { key: 'task', title: 'Task', value: (t) => t.taskId },
  { key: 'partition', title: 'Partition', value: (t) => t.partition },
  { key: 'attempt', title: 'Attempt', value: (t) => t.attempt },
  { key: 'status', title: 'Status', value: (t) => t.reason ?? 'running' },
  { key: 'duration', title: 'Duration', value: (t) => t.durationMs ?? -1 },
  { key: 'recordsOut', title: 'Records out', value: (t) => t.metrics?.recordsWritten ?? -1 },
  { key: 'bytesIn', title: 'Bytes in', value: (t) => t.metrics?.bytesRead ?? -1 },
  { key: 'bytesOut', title: 'Bytes out', value: (t) => t.metrics?.bytesWritten ?? -1 },
  { key: 'shuffleRead', title: 'Shuffle read', value: (t) => t.metrics?.shuffleReadBytes ?? -1 },
  { key: 'spill', title: 'Spill', value: (t) => t.metrics?.spillBytes ?? -1 },
  { key: 'gc', title: 'GC time', value: (t) => t.metrics?.gcMs ?? -1 },
  { key: 'thread', title: 'Thread', value: (t) => t.metrics?.threadId ?? -1 },
];

/** Task rows shown at most on one page: a 10,000-task stage keeps a page the browser can draw. */
const TASK_ROWS_MAX = 1000;

/**
 * One stage: its fused chain, task-time quantiles, a timeline of its attempts, and the task table, sortable by any
 * column through links (`?sort=duration&order=desc`): no script is needed.
 */
export function stagePage(state: AppState, context: PageContext, stageId: number, query: URLSearchParams): string {
  const stage = state.stages.get(stageId);
  if (stage === undefined) return notFoundPage(state, context, `stage ${stageId}`);
  const tasks = [...stage.tasks.values()];
  const column = COLUMNS.find((c) => c.key === query.get('sort')) ?? COLUMNS[0]!;
  const descending = query.get('order') === 'desc';
  tasks.sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const order = x < y ? -1 : x > y ? 1 : a.taskId - b.taskId;
    return descending ? -order : order;
  });
  const headers = COLUMNS.map((c) => {
    const order = c === column && !descending ? 'desc' : 'asc';
    const mark = c === column ? (descending ? ' ▼' : ' ▲') : '';
    return html`<a href="${context.base}/stages/${stageId}?sort=${c.key}&amp;order=${order}">${c.title}${mark}</a>`;
  });
  const rows = tasks.slice(0, TASK_ROWS_MAX).map((t) => {
    const m = t.metrics;
    const failure =
      t.failure === null
        ? ''
        : html`<details>
            <summary>${t.failure.name}: ${t.failure.message}</summary>
            <pre>${t.failure.stack ?? ''}</pre>
          </details>`;
    const status = t.reason === null ? 'running' : t.reason === 'success' ? 'succeeded' : 'failed';
    const notes = [t.speculative ? 'speculative ' : '', t.fault === null ? '' : `fault: ${t.fault} `];
    return html`<tr>
      <td class="n">${t.taskId}</td>
      <td class="n">${t.partition}</td>
      <td class="n">${t.attempt}</td>
      <td class="${status}">${t.reason ?? 'running'}</td>
      <td class="n">${formatMs(t.durationMs)}</td>
      <td class="n">${m?.recordsWritten ?? ''}</td>
      <td class="n">${m === null ? '' : formatBytes(m.bytesRead)}</td>
      <td class="n">${m === null ? '' : formatBytes(m.bytesWritten)}</td>
      <td class="n">${m === null ? '' : formatBytes(m.shuffleReadBytes ?? 0)}</td>
      <td class="n">${m === null ? '' : formatBytes(m.spillBytes ?? 0)}</td>
      <td class="n">${m === null ? '' : formatMs(m.gcMs ?? 0)}</td>
      <td class="n">${m?.threadId ?? ''}</td>
      <td>${notes}${failure}</td>
    </tr>`;
  });
  const more = tasks.length > TASK_ROWS_MAX ? html`<p>First ${TASK_ROWS_MAX} of ${tasks.length} attempts.</p>` : '';
  const body = html`<p>
      Job <a href="${context.base}/jobs/${stage.jobId}">${stage.jobId}</a> · ${stage.purpose} ·
      <span class="${stage.status}">${stage.status}</span> · ${formatMs(stage.durationMs)} ·
      ${stage.succeeded}/${stage.tasksTotal} tasks · ${stage.failedAttempts} failed attempts
    </p>
    <pre>${stage.chain}</pre>
    ${
      stage.totals.operatorRows.length === 0
        ? ''
        : html`<p id="operator-rows">
            Rows out per operator: ${stage.totals.operatorRows.map((o) => `${o.op} ${o.rows}`).join(' → ')}
          </p>`
    }
    <h2>Summary of finished tasks</h2>
    ${quantileTable(stage.tasks.summary())}
    ${
      stage.tasks.rowsDropped
        ? html`<p id="rows-dropped">
            The ${stage.tasks.size} task attempts of this stage are summarized only: the UI keeps the rows of the latest
            ${TASK_ROWS_RETAINED_MAX} attempts.
          </p>`
        : ''
    }
    <h2>Timeline</h2>
    ${timeline(tasks, stage.submittedMs)}
    <h2>Tasks</h2>
    ${more}${table([...headers, 'Notes'], rows, 'tasks')}`;
  return layout(`Stage ${stageId}: ${stage.label}`, state, context, body);
}

function quantileTable(summary: TaskSummary): Html {
  if (summary.finished === 0) return html`<p>No task finished yet.</p>`;
  const format = { ms: formatMs, bytes: formatBytes, count: String } as const;
  return table(
    ['Metric', 'Min', '25th percentile', 'Median', '75th percentile', 'Max'],
    summary.metrics.map(
      (m) =>
        html`<tr>
          <td>${m.name}</td>
          ${m.quantiles.map((value) => html`<td class="n">${format[m.unit](value)}</td>`)}
        </tr>`,
    ),
    'quantiles',
  );
}

/** Attempts drawn at most on the timeline. */
const TIMELINE_ROWS_MAX = 200;

function timeline(tasks: readonly TaskRow[], startMs: number): Html {
  const shown = [...tasks].sort((a, b) => a.startMs - b.startMs).slice(0, TIMELINE_ROWS_MAX);
  if (shown.length === 0) return html`<p>No attempt started yet.</p>`;
  const endMs = Math.max(...shown.map((t) => t.startMs + (t.durationMs ?? 0)), startMs + 1);
  const width = 800;
  const scale = (width - 120) / (endMs - startMs);
  const bars = shown.map((t, i) => {
    const x = 110 + (t.startMs - startMs) * scale;
    const w = Math.max(2, (t.durationMs ?? 0) * scale);
    const fill = t.reason === null ? '#e0a040' : t.reason === 'success' ? '#5b8def' : '#d05050';
    return html`<text x="4" y="${i * 12 + 10}">p${t.partition} a${t.attempt}</text
      ><rect x="${x.toFixed(1)}" y="${i * 12 + 2}" width="${w.toFixed(1)}" height="9" fill="${fill}"
        ><title>task ${t.taskId}: ${t.reason ?? 'running'}, ${formatMs(t.durationMs)}</title></rect
      >`;
  });
  return html`<svg
    class="timeline"
    xmlns="http://www.w3.org/2000/svg"
    width="${width}"
    height="${shown.length * 12 + 4}"
  >
    ${bars}
  </svg>`;
}
