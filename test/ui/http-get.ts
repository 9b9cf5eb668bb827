import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';

/** A response read whole. */
export interface Got {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One real HTTP request (node:http, so the Host header can be set, which fetch forbids). */
export function get(url: string, options: { method?: string; host?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers = options.host === undefined ? {} : { host: options.host };
    const req = request(target, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The text cells of each body row of the table with this id, tags removed and entities left as served. */
export function tableRows(body: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(body);
  if (table === null) throw new Error(`no table #${id} in the page`);
  return [...table[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').trim()),
  );
}

/** An open server-sent event stream: `next(pattern)` waits until the text received so far matches it. */
export interface EventStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  next(pattern: RegExp): Promise<RegExpExecArray>;
  close(): void;
}

export function openEventStream(url: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), (response) => {
      let text = '';
      let waiting: { pattern: RegExp; resolve: (m: RegExpExecArray) => void } | null = null;
      const check = () => {
        const match = waiting === null ? null : waiting.pattern.exec(text);
        if (match === null || waiting === null) return;
        text = text.slice(match.index + match[0].length);
        const done = waiting.resolve;
        waiting = null;
        done(match);
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        check();
      });
      resolve({
        status: response.statusCode!,
        headers: response.headers,
        next: (pattern) =>
          new Promise((done) => {
            waiting = { pattern, resolve: done };
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The stderr a server process wrote until it matches `pattern` (rejects if the process exits first). */
export function stderrUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve(text);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
  });
}
