/**
 * The `windows` section of `npm run bench:streaming`: an event-time window count (`reduceByKeyAndWindow`, 60 s
 * windows sliding every 30 s, 5 s of allowed lateness, exactly-once jsonl file sink) over seeded event files, against
 * the same windows counted by batch jobs over the same files: the RDD path (closures, as the stream runs) and the
 * columnar Dataset path. In-process, 2 threads, rounds in turn; wall time and events per second.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, col } from '../src/index.js';
import { Rng } from '../src/common/rng.js';

const FILES = 8;
const EVENTS_PER_FILE = 250_000;
const PAGES = 1_000;
const WINDOW_MS = 60_000;
const SLIDE_MS = 30_000;

interface PageView {
  page: string;
  ts: number;
}

/** Seeded page views, event time ~10 ms apart, one in a hundred up to 20 s late; one file per trigger. */
function writeEvents(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(7);
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < EVENTS_PER_FILE; i++) {
      const now = (f * EVENTS_PER_FILE + i) * 10;
      const ts = rng.nextFloat() < 0.01 ? now - rng.nextInt(20_000) : now;
      lines.push(JSON.stringify({ page: `/p${rng.nextInt(PAGES)}`, ts }));
    }
    writeFileSync(join(dir, `events-${String(f).padStart(2, '0')}.jsonl`), `${lines.join('\n')}\n`);
  }
}

async function streamCount(input: string, root: string): Promise<number> {
  const kc = new Context({ threads: 2 });
  try {
    const query = kc.readStream
      .jsonlFiles<PageView>(input, { maxFilesPerTrigger: 2 })
      .reduceByKeyAndWindow((a: number, b: number) => a + b, {
        eventTime: (e: PageView) => e.ts,
        pair: (e: PageView) => [e.page, 1],
        windowMs: WINDOW_MS,
        slideMs: SLIDE_MS,
        watermarkDelayMs: 5_000,
      })
      .writeStream.trigger({ availableNow: true })
      .option('checkpointLocation', join(root, 'ckpt'))
      .format('jsonl')
      .start(join(root, 'out'));
    await query.awaitTermination();
    return query.recentProgress.reduce((sum, p) => sum + p.sink.numOutputRows, 0);
  } finally {
    await kc.stop();
  }
}

async function batchRddCount(input: string): Promise<number> {
  const kc = new Context({ threads: 2 });
  try {
    const slideMs = SLIDE_MS; // reaches the worker as a capture: a shipped function sees no module scope
    return await kc
      .textFile(input)
      .flatMap(
        (line: string): [[string, number], number][] => {
          const { page, ts } = JSON.parse(line) as PageView;
          const newest = ts - (ts % slideMs);
          return [
            [[page, newest], 1],
            [[page, newest - slideMs], 1],
          ];
        },
        { slideMs },
      )
      .reduceByKey((a: number, b: number) => a + b)
      .count();
  } finally {
    await kc.stop();
  }
}

async function batchColumnarCount(input: string): Promise<number> {
  const kc = new Context({ threads: 2 });
  try {
    const views = kc.read.json(input);
    const newest = col('ts').sub(col('ts').mod(SLIDE_MS));
    const windows = views
      .select(col('page'), newest.as('start'))
      .union(views.select(col('page'), newest.sub(SLIDE_MS).as('start')));
    return await windows.groupBy('page', 'start').count().count();
  } finally {
    await kc.stop();
  }
}

/** Appends the section's table to `lines`. */
export async function windowsThroughput(lines: string[], runs: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kindling-bench-windows-'));
  try {
    const input = join(root, 'events');
    writeEvents(input);
    const events = FILES * EVENTS_PER_FILE;
    const variants: [string, (run: number) => Promise<number>][] = [
      ['stream: reduceByKeyAndWindow, exactly-once file sink', (run) => streamCount(input, join(root, `s${run}`))],
      ['batch RDD: flatMap windows + reduceByKey', () => batchRddCount(input)],
      ['batch columnar: union of window starts + groupBy().count()', () => batchColumnarCount(input)],
    ];
    const walls = new Map<string, number[]>();
    const windows = new Map<string, number>();
    for (let run = 0; run < runs; run++) {
      for (const [name, count] of variants) {
        const startedMs = performance.now();
        windows.set(name, await count(run));
        const wallMs = performance.now() - startedMs;
        walls.set(name, [...(walls.get(name) ?? []), wallMs]);
        console.log(`windows run ${run} ${name}: ${Math.round(wallMs)} ms`);
      }
    }
    lines.push(
      `## Event-time windows: ${events.toLocaleString('en')} events in ${FILES} jsonl files, ${PAGES} pages, ${WINDOW_MS / 1000} s windows every ${SLIDE_MS / 1000} s, 2 threads, ${runs} runs each in turn`,
      '',
      'The stream runs 2 files a batch and drops events later than 5 s behind the watermark (about 1 in 100 are up to 20 s late), so it emits a few windows fewer than the batch jobs count.',
      '',
      '| job | walls | median wall | events/s | windows |',
      '|---|---|---|---|---|',
    );
    for (const [name] of variants) {
      const measured = walls.get(name)!;
      const sorted = [...measured].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      lines.push(
        `| ${name} | ${measured.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s | ${(median / 1000).toFixed(2)} s | ${(((events / median) * 1000) / 1e6).toFixed(2)} M | ${windows.get(name)!.toLocaleString('en')} |`,
      );
    }
    lines.push('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
