import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { route, type UiSource } from './ui-routes.js';
import { streamUpdates } from './update-stream.js';

/** Ports tried after the first one when it is taken (Spark's `spark.port.maxRetries` is 16). */
const PORT_ATTEMPTS_MAX = 16;
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Headers of every response. The CSP allows scripts, styles and requests from this server only (the live-update
 * and chart scripts and uPlot, see static-assets.ts), and no inline script or style: a value that escaped escaping
 * could still not run. Frames and remote resources are forbidden.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/**
 * The web UI's HTTP server (plain `node:http`, no framework): GET and HEAD only, bound to loopback unless another
 * host is asked for explicitly. On loopback it also refuses requests whose `Host` header names another host, so a
 * web page elsewhere cannot read it through DNS rebinding.
 *
 * @example
 * const server = await UiServer.start(source, { port: 4040, host: '127.0.0.1' });
 * console.error(`kindling UI at ${server.url}`);
 * await server.close();
 */
export class UiServer {
  readonly url: string;
  readonly #server: Server;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  /** Listens on `port`, or the next free one of the 16 after it (`0`: a port the system picks). */
  static async start(source: UiSource, where: { readonly port: number; readonly host: string }): Promise<UiServer> {
    const loopback = LOOPBACK_HOSTS.has(where.host);
    const server = createServer((request, response) => handle(source, loopback, request, response));
    let lastError: unknown = null;
    for (let i = 0; i < (where.port === 0 ? 1 : PORT_ATTEMPTS_MAX); i++) {
      const port = where.port === 0 ? 0 : where.port + i;
      try {
        await listen(server, port, where.host);
        const address = server.address();
        const bound = typeof address === 'object' && address !== null ? address.port : port;
        const host = where.host.includes(':') ? `[${where.host}]` : where.host;
        // The server must never be what keeps a finished program alive.
        server.unref();
        return new UiServer(server, `http://${host}:${bound}`);
      } catch (error: unknown) {
        lastError = error;
        if ((error as { code?: unknown }).code !== 'EADDRINUSE') break;
      }
    }
    throw new Error(`kindling UI: cannot listen on ${where.host} port ${where.port} or the next ones`, {
      cause: lastError,
    });
  }

  /** Stops listening and closes open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function handle(source: UiSource, loopback: boolean, request: IncomingMessage, response: ServerResponse): void {
  const send = (status: number, type: string, body: string) => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  }
  const hostHeader = request.headers.host ?? '';
  const hostName = hostHeader.startsWith('[')
    ? hostHeader.slice(1, hostHeader.indexOf(']'))
    : hostHeader.split(':')[0]!;
  if (loopback && !LOOPBACK_HOSTS.has(hostName)) {
    return send(403, 'text/plain; charset=utf-8', 'this UI answers only requests for a loopback host\n');
  }
  if (
    source.live &&
    request.url !== undefined &&
    new URL(request.url, 'http://ui.invalid').pathname === '/api/updates'
  ) {
    const state = source.apps().values().next().value;
    // Through `apps()` at every poll: a live source brings its state up to date there (the bus's task facts).
    const version = () => source.apps().values().next().value?.version ?? state?.version ?? 0;
    if (state !== undefined) return streamUpdates(request, response, version, SECURITY_HEADERS);
  }
  try {
    const { status, type, body } = route(source, new URL(request.url ?? '/', 'http://ui.invalid'));
    send(status, type, body);
  } catch (error: unknown) {
    // A page that cannot be drawn is a bug; the message is text, not markup.
    send(500, 'text/plain; charset=utf-8', `kindling UI error: ${String(error)}\n`);
  }
}
