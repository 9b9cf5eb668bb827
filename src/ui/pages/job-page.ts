import type { AppState } from '../../events/app-state.js';
import { formatBytes, formatMs, html } from '../html.js';
import { stageGraphSvg } from '../stage-graph-svg.js';
import { layout, table, type PageContext } from './layout.js';
import { notFoundPage } from './not-found-page.js';

/** One job: its status and error, its stage graph, its stages, and its metrics. */
export function jobPage(state: AppState, context: PageContext, jobId: number): string {
  const job = state.jobs.get(jobId);
  if (job === undefined) return notFoundPage(state, context, `job ${jobId}`);
  const stages = state.stagesOf(job);
  const href = (stageId: number) => `${context.base}/stages/${stageId}`;
  const failure =
    job.failure === null
      ? ''
      : html`<h2>Error</h2>
          <pre class="failed">${job.failure.name}: ${job.failure.message}</pre>`;
  const rows = stages.map(
    (s) =>
      html`<tr>
        <td class="n"><a href="${href(s.stageId)}">${s.stageId}</a></td>
        <td>${s.label}</td>
        <td>${s.purpose}</td>
        <td class="${s.status}">${s.status}</td>
        <td class="n">${s.succeeded}/${s.tasksTotal}</td>
        <td class="n">${s.failedAttempts}</td>
        <td class="n">${s.totals.recordsWritten}</td>
        <td class="n">${formatBytes(s.totals.bytesRead)}</td>
        <td class="n">${formatBytes(s.totals.bytesWritten)}</td>
        <td class="n">${formatMs(s.durationMs)}</td>
        <td class="n">${formatBytes(s.totals.shuffleReadBytes)}</td>
        <td class="n">${formatBytes(s.totals.spillBytes)}</td>
      </tr>`,
  );
  const metrics = job.metrics === null ? [] : Object.entries(job.metrics);
  const metricRows = metrics.map(
    ([name, value]) =>
      html`<dt>${name}</dt>
        <dd>
          ${
            typeof value === 'number'
              ? value
              : Object.entries(value)
                  .map(([k, n]) => `${k}: ${n}`)
                  .join(', ')
          }
        </dd>`,
  );
  const body = html`<p>
      ${job.description} · <span class="${job.status}">${job.status}</span> · ${formatMs(job.durationMs)} ·
      ${job.partitions} partitions of ${job.label}
    </p>
    ${failure}
    <h2>Stage graph</h2>
    ${stageGraphSvg(stages, href)}
    <h2>Plan</h2>
    <pre id="plan">${job.plan}</pre>
    <h2>Stages</h2>
    ${table(
      [
        'Stage',
        'Label',
        'Kind',
        'Status',
        'Tasks done',
        'Failed attempts',
        'Records out',
        'Bytes in',
        'Bytes out',
        'Duration',
        'Shuffle read',
        'Spill',
      ],
      rows,
      'stages',
    )}
    ${
      metrics.length === 0
        ? ''
        : html`<h2>Job metrics</h2>
            <dl id="metrics">${metricRows}</dl>`
    }`;
  return layout(`Job ${jobId}`, state, context, body);
}
