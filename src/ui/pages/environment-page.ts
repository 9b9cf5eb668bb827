import type { AppState } from '../../events/app-state.js';
import { html } from '../html.js';
import { layout, type PageContext } from './layout.js';

/** The application's resolved options, versions and threads, as its `app-start` event recorded them. */
export function environmentPage(state: AppState, context: PageContext): string {
  const app = state.app;
  const body =
    app === null
      ? html`<p>The log has no app-start event.</p>`
      : html`<dl id="environment">
            <dt>Application</dt>
            <dd>${app.appId}</dd>
            <dt>Process</dt>
            <dd>${app.pid}</dd>
            <dt>Threads</dt>
            <dd>${app.threads}</dd>
            <dt>kindling</dt>
            <dd>${app.versions.kindling}</dd>
            <dt>Node.js</dt>
            <dd>${app.versions.node}</dd>
            <dt>V8</dt>
            <dd>${app.versions.v8}</dd>
          </dl>
          <h2>Options</h2>
          <pre id="options">${JSON.stringify(app.options, null, 2)}</pre>`;
  return layout('Environment', state, context, body);
}
