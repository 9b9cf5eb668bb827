/**
 * Keeps the test that restarts PostgreSQL from restarting it under another test file's feet: `node --test` runs
 * two files at once, and tests of other checkouts on this machine use the same server.
 *
 * A process that uses PostgreSQL (`usePostgres`) writes `<gate>/user-<pid>` for its lifetime; a restarting test
 * (`withPostgresToMyself`) writes `<gate>/restart-<pid>` and then waits until no other live process has a user
 * file. A user writes its file first and then looks for a live restarter's file; a restarter writes its file first and
 * then looks for live users: one of the two always sees the other (file creations are atomic), so a user either is
 * waited for or steps back and waits until the restart is over. A restarter that sees another's file steps back
 * too, and tries again after a random pause. Every file is named by its writer's pid, so a file of a process that died
 * (kill -9) is simply ignored: nobody ever removes a file of another process, which a shared `restart` file needed
 * (two processes clearing a dead restarter's file at once could remove a third's live one).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { processIsAlive } from '../../src/io/files/owned-temp-dirs.js';

const GATE = join(tmpdir(), 'kindling-test-postgres-gate');
const USER = join(GATE, `user-${process.pid}`);
const RESTARTER = join(GATE, `restart-${process.pid}`);
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
    if (otherLive('restart-').length === 0) return;
    rmSync(USER, { force: true });
    await waitUntil('the PostgreSQL restart of another test', () => otherLive('restart-').length === 0, describe);
  }
}

/** Runs `work` (which restarts PostgreSQL) when no other process uses PostgreSQL, and none starts to until it ends. */
export async function withPostgresToMyself<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(GATE, { recursive: true });
  try {
    for (;;) {
      writeFileSync(RESTARTER, '');
      if (otherLive('restart-').length === 0) break;
      rmSync(RESTARTER, { force: true });
      await waitUntil('the PostgreSQL restart of another test', () => otherLive('restart-').length === 0, describe);
      // Two restarters that wrote their files at once both stepped back; a random pause lets one go first next time.
      await new Promise((resolve) => setTimeout(resolve, POLL_MS * (1 + 4 * Math.random())));
    }
    await waitUntil('the other PostgreSQL tests', () => otherLive('user-').length === 0, describe);
    return await work();
  } finally {
    rmSync(RESTARTER, { force: true });
  }
}

/** Live processes other than this one with a `<prefix><pid>` file in the gate. */
function otherLive(prefix: 'user-' | 'restart-'): number[] {
  return readdirSync(GATE)
    .filter((name) => name.startsWith(prefix))
    .map((name) => Number(name.slice(prefix.length)))
    .filter((pid) => Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && processIsAlive(pid));
}

function describe(): string {
  return `users ${otherLive('user-').join(', ') || 'none'}; restarters ${otherLive('restart-').join(', ') || 'none'}`;
}

/** Polls `done` (a state of other processes, not of a thread) until it holds; throws after WAIT_MS_MAX. */
async function waitUntil(what: string, done: () => boolean, detail: () => string): Promise<void> {
  const deadlineMs = performance.now() + WAIT_MS_MAX;
  while (!done()) {
    if (performance.now() > deadlineMs)
      throw new Error(`waited ${WAIT_MS_MAX / 1000} s for ${what} in ${GATE}: ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
