/**
 * The live-update script of every page (served as /static/live.js). On a running application's page it listens
 * to /api/updates (server-sent events: one message when the application's state changed, at most twice a second),
 * fetches the page again and swaps in its `<main>` and header status. The new markup comes from the same server
 * and the same escaping templates as the first page; DOMParser never runs scripts. Without scripts the page
 * reloads itself instead (a meta refresh inside `<noscript>`). Pages fire `kindling:updated` for the charts.
 */
export const LIVE_JS = `(() => {
  'use strict';
  const body = document.body;
  if (body.dataset.live !== 'true' || typeof EventSource !== 'function') return;
  const source = new EventSource(body.dataset.base + '/api/updates?since=' + body.dataset.version);
  let busy = false;
  let again = false;
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        const response = await fetch(location.href, { headers: { accept: 'text/html' } });
        if (!response.ok) return;
        const next = new DOMParser().parseFromString(await response.text(), 'text/html');
        const main = next.querySelector('main');
        const status = next.querySelector('header .status');
        if (main !== null) document.querySelector('main').replaceWith(document.adoptNode(main));
        if (status !== null) document.querySelector('header .status').textContent = status.textContent;
        body.dataset.updates = String(Number(body.dataset.updates || '0') + 1);
        document.dispatchEvent(new Event('kindling:updated'));
        if (next.body.dataset.live !== 'true') { source.close(); body.dataset.live = 'false'; }
      } while (again);
    } finally {
      busy = false;
    }
  };
  source.addEventListener('change', () => { void refresh(); });
})();
`;
