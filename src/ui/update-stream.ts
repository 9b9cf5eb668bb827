import type { IncomingMessage, ServerResponse } from 'node:http';

/** How often a connection checks whether the application's state changed, in ms (at most 2 messages a second). */
const CHECK_INTERVAL_MS = 500;
/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_INTERVAL_MS = 15_000;
/** Open update streams at most, per server: each holds a connection and a timer. */
export const UPDATE_STREAMS_MAX = 32;

let open = 0;

/**
 * Serves /api/updates as server-sent events: a `change` message carrying the state's version whenever it differs
 * from the last one the page saw (`?since=<version>`, written into every live page). The message carries no
 * data from the log; the page fetches itself again to show the change. Checking a counter on a timer, rather
 * than writing on every event, keeps a job of 10,000 tasks from costing 10,000 messages.
 *
 * @example
 * streamUpdates(request, response, () => state.version, headers);
 */
export function streamUpdates(
  request: IncomingMessage,
  response: ServerResponse,
  version: () => number,
  headers: Readonly<Record<string, string>>,
): void {
  if (open >= UPDATE_STREAMS_MAX) {
    response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
    response.end(`at most ${UPDATE_STREAMS_MAX} live pages at once\n`);
    return;
  }
  open++;
  const since = new URL(request.url ?? '/', 'http://ui.invalid').searchParams.get('since');
  let sent = since !== null && /^\d+$/.test(since) ? Number(since) : -1;
  response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8' });
  response.write('retry: 2000\n\n');
  const check = setInterval(() => {
    const now = version();
    if (now === sent) return;
    sent = now;
    response.write(`event: change\ndata: ${now}\n\n`);
  }, CHECK_INTERVAL_MS);
  const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_INTERVAL_MS);
  check.unref();
  keepalive.unref();
  response.on('close', () => {
    clearInterval(check);
    clearInterval(keepalive);
    open--;
  });
}
