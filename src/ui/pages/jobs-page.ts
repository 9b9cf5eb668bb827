import type { AppState } from '../../events/app-state.js';
import { formatMs, html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';

/** The jobs of the application, newest first: status, duration, stages and tasks done. */
export function jobsPage(state: AppState, context: PageContext): string {
  const jobs = [...state.jobs.values()].reverse();
  const rows = jobs.map((job) => {
    const stages = state.stagesOf(job);
    const stagesDone = stages.filter((s) => s.status === 'succeeded').length;
    const tasksDone = stages.reduce((n, s) => n + s.succeeded, 0);
    const tasksTotal = stages.reduce((n, s) => n + s.tasksTotal, 0);
    const failed = stages.reduce((n, s) => n + s.failedAttempts, 0);
    const duration = job.durationMs ?? state.lastEventMs - job.startMs;
    return html`<tr>
      <td class="n"><a href="${context.base}/jobs/${job.jobId}">${job.jobId}</a></td>
      <td>${job.description}</td>
      <td class="${job.status}">${job.status}</td>
      <td>${new Date(job.startMs).toISOString()}</td>
      <td class="n">${formatMs(duration)}</td>
      <td class="n">${stagesDone}/${stages.length}</td>
      <td class="n">${tasksDone}/${tasksTotal}</td>
      <td class="n">${failed}</td>
    </tr>`;
  });
  const summary = html`<p>
    ${state.jobs.size} jobs · ${state.faults.length} faults injected · ${state.fetchFailures.length} fetch failures ·
    ${state.speculativeLaunches} speculative copies
  </p>`;
  const body = html`${summary}${table(
    ['Job', 'Description', 'Status', 'Submitted', 'Duration', 'Stages done', 'Tasks done', 'Failed attempts'],
    rows,
    'jobs',
  )}`;
  return layout('Jobs', state, context, body);
}
