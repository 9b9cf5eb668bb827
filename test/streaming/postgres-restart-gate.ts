/**
 * Keeps the test that restarts PostgreSQL from restarting it under another test file's feet: `node --test` runs
 * two files at once, and tests of other checkouts on this machine use the same server.
 *
 * A process that uses PostgreSQL (`usePostgres`) writes `<gate>/user-<pid>` for its lifetime; the restarting test
 * (`withPostgresToMyself`) first writes `<gate>/restart` and then waits until no other live process has a user
 * file. A user writes its file first and then looks for `restart`: one of the two always sees the other (file
 * creations are atomic), so a user either is waited for or steps back and waits until the restart is over.
 * Files of processes that died (kill -9) are ignored.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { processIsAlive } from '../../src/io/files/owned-temp-dirs.js';

const GATE = join(tmpdir(), 'kindling-test-postgres-gate');
const RESTART = join(GATE, 'restart');
const USER = join(GATE, `user-${process.pid}`);
/** A hang guard: the restart waits for the other files' PostgreSQL tests (seconds each) at most this long. */
const WAIT_MS_MAX = 300_000;
const POLL_MS = 50;

let using: Promise<void> | null = null;

/** Marks this process as a PostgreSQL user until it exits, once any restart under way is over. */
export function usePostgres(): Promise<void> {
  return (using ??= enter());
}

async function enter(): Promise<void> {
  mkdirSync(GATE, { recursive: true });
  process.once('exit', () => rmSync(USER, { force: true }));
  for (;;) {
    writeFileSync(USER, '');
    const restarter = liveRestarter();
    if (restarter === null || restarter === process.pid) return;
    rmSync(USER, { force: true });
    await waitUntil(`the PostgreSQL restart of process ${restarter}`, () => liveRestarter() !== restarter);
  }
}

/** Runs `work` (which restarts PostgreSQL) when no other process uses PostgreSQL, and none starts to until it ends. */
export async function withPostgresToMyself<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(GATE, { recursive: true });
  // Written aside and linked, so `restart` never exists without its pid.
  const staged = join(GATE, `restart-${process.pid}.tmp`);
  writeFileSync(staged, String(process.pid));
  try {
    for (;;) {
      try {
        linkSync(staged, RESTART);
        break;
      } catch (error: unknown) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
        const restarter = liveRestarter();
        if (restarter === null)
          rmSync(RESTART, { force: true }); // left by a restarting test that was killed
        else await waitUntil(`the PostgreSQL restart of process ${restarter}`, () => liveRestarter() !== restarter);
      }
    }
  } finally {
    rmSync(staged, { force: true });
  }
  try {
    await waitUntil(
      'the other PostgreSQL tests',
      () => otherUsers().length === 0,
      () => otherUsers().join(', '),
    );
    return await work();
  } finally {
    rmSync(RESTART, { force: true });
  }
}

/** The live process that holds `restart`, or null. */
function liveRestarter(): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(RESTART, 'utf8'));
  } catch {
    return null;
  }
  return Number.isSafeInteger(pid) && pid > 0 && processIsAlive(pid) ? pid : null;
}

/** Live processes other than this one with a user file. */
function otherUsers(): number[] {
  return readdirSync(GATE)
    .filter((name) => name.startsWith('user-'))
    .map((name) => Number(name.slice('user-'.length)))
    .filter((pid) => pid !== process.pid && processIsAlive(pid));
}

/** Polls `done` (a state of other processes, not of a thread) until it holds; throws after WAIT_MS_MAX. */
async function waitUntil(what: string, done: () => boolean, detail: () => string = () => ''): Promise<void> {
  const deadlineMs = performance.now() + WAIT_MS_MAX;
  while (!done()) {
    if (performance.now() > deadlineMs)
      throw new Error(`waited ${WAIT_MS_MAX / 1000} s for ${what} in ${GATE}: ${detail() || 'still there'}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
