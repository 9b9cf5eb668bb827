import type { AppState } from '../../events/app-state.js';
import { html } from '../html.js';
import { layout, type PageContext } from './layout.js';

/** The page for an id the application does not have (or no longer keeps). */
export function notFoundPage(state: AppState, context: PageContext, what: string): string {
  return layout('Not found', state, context, html`<p>There is no ${what} in this application.</p>`);
}
