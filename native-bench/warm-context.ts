// Warms a Context before a load is timed: its workers start, load their modules and compile the CSV reader's hot
// functions on a tiny job (the first lines of the same CSV, read with the same schema, cached, counted, dropped).
// DuckDB's instance is made before its load's timer starts; this is kindling's equivalent, so a load time compares
// the two engines' reading alone (at 1e6 rows ~0.2 s of CPU per worker was module loading and JIT warm-up).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Context, CsvReadOptions } from '../src/index.js';

/** Bytes of the CSV's head the warm-up job reads: a few thousand rows, a few ms of parsing. */
const WARM_BYTES = 256 * 1024;

/**
 * Runs the warm-up job on `kc`: `kc.read.csv(head of csv, options).cache().count()`, then unpersists it.
 *
 * @example
 * await warmContext(kc, csv, { header: true, schema: G1_SCHEMA }); // then start the load's timer
 */
export async function warmContext(kc: Context, csv: string, options: CsvReadOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-warm-'));
  try {
    const head = Buffer.alloc(WARM_BYTES);
    const fd = openSync(csv, 'r');
    let bytes: number;
    try {
      bytes = readSync(fd, head, 0, WARM_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    // Whole lines only: the head ends at its last newline.
    const path = join(dir, 'head.csv');
    writeFileSync(path, head.subarray(0, head.lastIndexOf(0x0a, bytes - 1) + 1));
    const warm = kc.read.csv(path, options).cache();
    await warm.count();
    warm.unpersist();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
