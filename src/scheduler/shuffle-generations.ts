import { parentsOf, type PlanNode } from '../plan/plan-node.js';

/**
 * The generation of a shuffle's map outputs read by one task attempt, taken when the attempt was built: shuffle id →
 * generation. An attempt whose reads are no longer current read outputs that were discarded since.
 */
export type ReadGenerations = ReadonlyMap<number, number>;

/**
 * Which run of each shuffle's map outputs is current (its generation), who read it, and which shuffles read which:
 * what the scheduler needs for indeterminate stages (DESIGN.md §5, Spark's `INDETERMINATE` rollback).
 *
 * An indeterminate shuffle (its map side, or the operation reading it, may give different rows or a different split
 * of rows on rerun) cannot recompute only its lost map outputs once some consumer read the others: the consumer
 * would mix two runs. The scheduler then discards every map output of it (a new generation) and of every shuffle
 * computed from it, and drops each result that read an older generation, so those consumers rerun in full.
 *
 * @example
 * const generations = new ShuffleGenerations();
 * const reads = generations.attemptStarted(7, [0]); // task 7 reads shuffle 0 (generation 0)
 * generations.attemptEnded(7, reads, true);
 * generations.discard(0);                           // shuffle 0 is now at generation 1
 * generations.isCurrent(reads);                     // false: task 7's result mixes runs, drop it
 */
export class ShuffleGenerations {
  private readonly generations = new Map<number, number>();
  private readonly indeterminate = new Set<number>();
  /** Shuffle → the shuffles whose map stage reads it. */
  private readonly children = new Map<number, Set<number>>();
  /** Attempts running now that read the current generation of a shuffle. */
  private readonly runningReaders = new Map<number, Set<number>>();
  /** Attempts that succeeded reading the current generation of a shuffle (their output may be in use). */
  private readonly finishedReaders = new Map<number, number>();

  /** Marks a shuffle whose output may differ on rerun. */
  markIndeterminate(shuffleId: number): void {
    this.indeterminate.add(shuffleId);
  }

  isIndeterminate(shuffleId: number): boolean {
    return this.indeterminate.has(shuffleId);
  }

  /** Records that the map stage of shuffle `child` reads shuffle `parent`. */
  link(parent: number, child: number): void {
    let set = this.children.get(parent);
    if (set === undefined) {
      set = new Set();
      this.children.set(parent, set);
    }
    set.add(child);
  }

  generationOf(shuffleId: number): number {
    return this.generations.get(shuffleId) ?? 0;
  }

  /** An attempt (`taskId`) was built reading `shuffleIds`: returns the generations it read. */
  attemptStarted(taskId: number, shuffleIds: Iterable<number>): ReadGenerations {
    const reads = new Map<number, number>();
    for (const shuffleId of shuffleIds) {
      reads.set(shuffleId, this.generationOf(shuffleId));
      let running = this.runningReaders.get(shuffleId);
      if (running === undefined) {
        running = new Set();
        this.runningReaders.set(shuffleId, running);
      }
      running.add(taskId);
    }
    return reads;
  }

  /** The attempt ended; a success that read current generations counts as a consumer of them. */
  attemptEnded(taskId: number, reads: ReadGenerations, succeeded: boolean): void {
    for (const [shuffleId, generation] of reads) {
      if (generation !== this.generationOf(shuffleId)) continue;
      this.runningReaders.get(shuffleId)?.delete(taskId);
      if (succeeded) this.finishedReaders.set(shuffleId, (this.finishedReaders.get(shuffleId) ?? 0) + 1);
    }
  }

  /** True when some attempt read the current generation of the shuffle and is running or succeeded. */
  isConsumed(shuffleId: number): boolean {
    return (this.runningReaders.get(shuffleId)?.size ?? 0) > 0 || (this.finishedReaders.get(shuffleId) ?? 0) > 0;
  }

  /** True when every generation `reads` names is still current. */
  isCurrent(reads: ReadGenerations): boolean {
    for (const [shuffleId, generation] of reads) if (generation !== this.generationOf(shuffleId)) return false;
    return true;
  }

  /**
   * Starts a new generation of `shuffleId` and of every shuffle computed from it, transitively (their outputs were
   * computed from the old one). Returns those downstream shuffle ids, nearest first; the caller unregisters the map
   * outputs of all of them.
   */
  discard(shuffleId: number): number[] {
    const downstream: number[] = [];
    const seen = new Set<number>([shuffleId]);
    const queue = [shuffleId];
    while (queue.length > 0) {
      const current = queue.shift()!;
      this.generations.set(current, this.generationOf(current) + 1);
      this.runningReaders.delete(current);
      this.finishedReaders.delete(current);
      for (const child of this.children.get(current) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        downstream.push(child);
        queue.push(child);
      }
    }
    return downstream;
  }
}

/**
 * The shuffles under `node` whose output is indeterminate: the map side is not deterministic, or the operation
 * reading the shuffle is declared not deterministic (`repartition`: which rows land in which reduce partition
 * depends on the order the map side produced them in, as in Spark).
 *
 * @example
 * indeterminateShuffles(kc.parallelize(xs).repartition(4).node); // → [0]
 */
export function indeterminateShuffles(node: PlanNode): number[] {
  const found = new Set<number>();
  const seen = new Set<number>();
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current.id)) continue;
    seen.add(current.id);
    if (current.kind === 'shuffled') {
      if (!current.deterministic || !current.dependency.parent.deterministic) found.add(current.dependency.shuffleId);
    } else if (current.kind === 'cogroup') {
      for (const input of current.inputs) {
        if (input.kind === 'shuffle' && !input.dependency.parent.deterministic) found.add(input.dependency.shuffleId);
      }
    }
    stack.push(...parentsOf(current));
  }
  return [...found];
}
