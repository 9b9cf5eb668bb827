/**
 * Releases the map outputs of a shuffle once nothing can read them again (Spark's `ContextCleaner`, issue 11).
 * Map outputs are kept after a job so that later jobs over the same dataset reuse them (no map stage rerun), but
 * they used to stay in shared memory until `kc.stop()`. A shuffle can only run again through its
 * `ShuffleDependency` object, which the datasets downstream of it hold (plan nodes point to their parents): when
 * that object becomes unreachable, no job can ever read the shuffle again, and a `FinalizationRegistry` tells us.
 * A shuffle that is still reachable is never released by this path, so lineage recovery keeps every output it may
 * need; the explicit path (`unpersist({ shuffleOutputs: true })`) forgets outputs as a lost block would be, and a
 * later job recomputes them from lineage.
 */
import type { ShuffleDependency } from '../plan/plan-node.js';

/** What the cleaner needs of a `FinalizationRegistry` (tests pass one they trigger themselves). */
export interface CleanupRegistry {
  register(target: object, shuffleId: number): void;
}

/** Makes the registry that calls `collected(shuffleId)` after a registered dependency was garbage collected. */
export type CleanupRegistryFactory = (collected: (shuffleId: number) => void) => CleanupRegistry;

const finalizationRegistry: CleanupRegistryFactory = (collected) => new FinalizationRegistry<number>(collected);

/**
 * @example
 * const cleaner = new ContextCleaner((shuffleId) => scheduler.releaseShuffle(shuffleId));
 * cleaner.registerShuffle(dependency); // released some time after `dependency` is garbage collected
 */
export class ContextCleaner {
  readonly #registry: CleanupRegistry;
  readonly #release: (shuffleId: number) => void;
  /** Shuffles registered and not released yet. */
  readonly #registered = new Set<number>();
  #stopped = false;
  /** Shuffles released so far (for tests and the storage status). */
  releasedShuffles = 0;

  constructor(release: (shuffleId: number) => void, makeRegistry: CleanupRegistryFactory = finalizationRegistry) {
    this.#release = release;
    this.#registry = makeRegistry((shuffleId) => this.#collected(shuffleId));
  }

  /** Watches a shuffle's dependency (once per shuffle id); the registry holds it weakly. */
  registerShuffle(dependency: ShuffleDependency): void {
    if (this.#stopped || this.#registered.has(dependency.shuffleId)) return;
    this.#registered.add(dependency.shuffleId);
    this.#registry.register(dependency, dependency.shuffleId);
  }

  isRegistered(shuffleId: number): boolean {
    return this.#registered.has(shuffleId);
  }

  /** The Context stopped: its outputs go with it, and late callbacks do nothing. */
  stop(): void {
    this.#stopped = true;
    this.#registered.clear();
  }

  #collected(shuffleId: number): void {
    // Runs as a task of its own on the driver's event loop, between scheduler steps: scheduler state is consistent.
    if (this.#stopped || !this.#registered.delete(shuffleId)) return;
    this.releasedShuffles++;
    this.#release(shuffleId);
  }
}
