/**
 * The kill -9 suite with real outside participants: the JetStream → PostgreSQL example runs as a child process,
 * is killed with SIGKILL at seeded random instants and restarted with the same checkpoint until it finishes; then
 * the table must equal that of a run never killed, row for row, and PostgreSQL must hold no prepared transaction
 * of the query. Scenarios alternate between the append query (one row per message, no key: a duplicate would show)
 * and the upsert query (a stateful word count). `npm test` runs a few kills, `npm run test:chaos` at least 50.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/common/rng.js';
import { freshDir, runNodeScript } from './stream-fixtures.js';
import { NATS_URL, PG_URL, createStream, deleteStream, preparedGids, query, uniqueName } from './external-servers.js';

/** The compiled example (tests run from dist/test/streaming/). */
export const JETSTREAM_TO_POSTGRES_CLI = fileURLToPath(
  new URL('../../examples/jetstream-to-postgres/cli.js', import.meta.url),
);

export type QueryKind = 'events' | 'counts';

export interface PostgresKillResult {
  readonly kills: number;
  readonly scenarios: number;
  /** Rows compared with the never-killed run, over all scenarios. */
  readonly rowsCompared: number;
  readonly mismatches: readonly string[];
}

/** The seeded words of the stream's messages. */
export function seededWords(seed: number, count: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => `w${Math.floor(rng.nextFloat() * rng.nextFloat() * 60)}`);
}

/** Creates the table one query kind writes. */
export async function createTable(kind: QueryKind, table: string): Promise<void> {
  await query(
    kind === 'events'
      ? `CREATE TABLE ${table} (seq bigint NOT NULL, subject text NOT NULL, word text NOT NULL, at timestamptz NOT NULL)`
      : `CREATE TABLE ${table} (key text PRIMARY KEY, value bigint NOT NULL)`,
  );
}

/** The whole table as text rows in a fixed order (duplicates included). */
export async function tableContent(kind: QueryKind, table: string): Promise<string[]> {
  const rows = await query<Record<string, unknown>>(
    kind === 'events'
      ? `SELECT seq, subject, word, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at FROM ${table} ORDER BY seq, subject, word, at`
      : `SELECT key, value::text FROM ${table} ORDER BY key`,
  );
  return rows.map((row) => JSON.stringify(Object.values(row)));
}

/** The command line of one run of the example. */
export function cliArgs(
  kind: QueryKind,
  stream: string,
  table: string,
  checkpoint: string,
  extra: readonly string[] = [],
): string[] {
  return [
    '--servers',
    NATS_URL!,
    '--stream',
    stream,
    '--connection',
    PG_URL!,
    '--table',
    table,
    '--checkpoint',
    checkpoint,
    '--available-now',
    '--max-messages-per-trigger',
    '60',
    '--threads',
    '2',
    '--quiet',
    ...(kind === 'counts' ? ['--counts'] : []),
    ...extra,
  ];
}

/** The query id a checkpoint recorded. */
export function queryIdOf(checkpoint: string): string {
  const text = readFileSync(join(checkpoint, 'metadata'), 'utf8');
  return (JSON.parse(text.slice(text.indexOf('\n') + 1)) as { queryId: string }).queryId;
}

/** Runs kill scenarios until `killsMin` kills happened. */
export async function runPostgresKillSuite(seed: number, killsMin: number): Promise<PostgresKillResult> {
  const rng = new Rng(seed);
  const stream = uniqueName('KILL').toUpperCase();
  const words = seededWords(seed, 420);
  await createStream(
    stream,
    words.map((word) => ({ word })),
    (i) => `${stream}.${i % 3}`,
  );
  const tables: string[] = [];
  const newTable = async (kind: QueryKind): Promise<string> => {
    const table = uniqueName(`kill_${kind}`);
    tables.push(table);
    await createTable(kind, table);
    return table;
  };
  try {
    const expected = new Map<QueryKind, string[]>();
    const spanMs = new Map<QueryKind, number>();
    for (const kind of ['events', 'counts'] as const) {
      const table = await newTable(kind);
      const end = await runNodeScript(
        JETSTREAM_TO_POSTGRES_CLI,
        cliArgs(kind, stream, table, join(freshDir('pg-ref'), 'ckpt')),
      );
      if (end.code !== 0) throw new Error(`the reference ${kind} run failed: ${end.stderr}`);
      const content = await tableContent(kind, table);
      checkReference(kind, content, words, stream);
      expected.set(kind, content);
      spanMs.set(kind, end.durationMs * 1.1);
    }
    let kills = 0;
    let scenarios = 0;
    let rowsCompared = 0;
    const mismatches: string[] = [];
    while (kills < killsMin) {
      const kind: QueryKind = scenarios % 2 === 0 ? 'events' : 'counts';
      scenarios++;
      const table = await newTable(kind);
      const checkpoint = join(freshDir('pg-kill'), 'ckpt');
      const log: string[] = [];
      for (let run = 0; ; run++) {
        // Past 10 runs of one scenario stop killing: every scenario ends, and more scenarios compare more tables.
        const killAfterMs = run < 10 && kills < killsMin ? Math.floor(rng.nextFloat() * spanMs.get(kind)!) : null;
        const end = await runNodeScript(
          JETSTREAM_TO_POSTGRES_CLI,
          cliArgs(kind, stream, table, checkpoint),
          killAfterMs,
        );
        if (end.signal === 'SIGKILL') {
          kills++;
          log.push(`killed after ${killAfterMs} ms`);
          continue;
        }
        if (end.code !== 0) {
          mismatches.push(
            `scenario ${scenarios} (${kind}) run ${run} failed (${log.join(', ')}): ${end.stderr.trim()}`,
          );
          break;
        }
        const content = await tableContent(kind, table);
        rowsCompared += content.length;
        if (JSON.stringify(content) !== JSON.stringify(expected.get(kind))) {
          mismatches.push(
            `scenario ${scenarios} (${kind}; ${log.join(', ')}): ${content.length} rows differ from the ${expected.get(kind)!.length} of the run never killed`,
          );
        }
        const queryId = queryIdOf(checkpoint);
        const left = await preparedGids(queryId);
        if (left.length > 0) mismatches.push(`scenario ${scenarios}: prepared transactions left: ${left.join(', ')}`);
        break;
      }
    }
    return { kills, scenarios, rowsCompared, mismatches };
  } finally {
    await deleteStream(stream);
    for (const table of tables) await query(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** The never-killed run must itself be right: every message once, or the right count of every word. */
function checkReference(kind: QueryKind, content: readonly string[], words: readonly string[], stream: string): void {
  if (kind === 'events') {
    const got = content.map((row) => (JSON.parse(row) as string[]).slice(0, 3).join(' '));
    const want = words.map((word, i) => `${i + 1} ${stream}.${i % 3} ${word}`);
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error('the reference events run did not write every message once');
    return;
  }
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const want = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([word, n]) => JSON.stringify([word, String(n)]));
  if (JSON.stringify(content) !== JSON.stringify(want))
    throw new Error('the reference counts run did not count the words right');
}
