#!/usr/bin/env node
// `kindling-history <dir>`: the history view of finished applications' event logs.
import { startHistoryServer } from './history-server.js';

const USAGE = 'usage: kindling-history <event log dir> [--port 18080] [--host 127.0.0.1]';

function parse(argv: readonly string[]): { dir: string; port: number; host: string } | null {
  let dir: string | null = null;
  let port = 18080;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--port' || arg === '--host') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      if (arg === '--host') host = value;
      else if (/^\d+$/.test(value) && Number(value) <= 65535) port = Number(value);
      else throw new Error(`--port expects an integer in [0, 65535], found ${value}`);
    } else if (dir === null) dir = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (dir === null) throw new Error('missing the event log directory');
  return { dir, port, host };
}

let args: ReturnType<typeof parse> = null;
try {
  args = parse(process.argv.slice(2));
  if (args === null) process.stdout.write(`${USAGE}\n`);
} catch (error: unknown) {
  process.stderr.write(`kindling-history: ${(error as Error).message}\n${USAGE}\n`);
  process.exitCode = 2;
}
if (args !== null) {
  try {
    const { server, apps, unreadable } = await startHistoryServer(args.dir, args);
    // Each log left out, with its file and line, before the line that says where the others are served.
    for (const log of unreadable) process.stderr.write(`kindling history: skipped ${log.appId}: ${log.reason}\n`);
    const skipped = unreadable.length === 0 ? '' : ` (${unreadable.length} log(s) skipped, listed above)`;
    process.stderr.write(`kindling history: ${apps} application(s) from ${args.dir} at ${server.url}${skipped}\n`);
    // The server is unref'd (it never keeps a library user's program alive): here, serving is the program.
    setInterval(() => {}, 1 << 30);
  } catch (error: unknown) {
    process.stderr.write(`kindling-history: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
