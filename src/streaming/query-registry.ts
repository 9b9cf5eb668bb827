import type { Context } from '../api/context/context.js';

/** What a Context knows of its streaming queries: the running ones (stopped with it) and memory-sink tables. */
export interface QueryRegistry {
  readonly running: Set<{ stop(): Promise<void> }>;
  readonly memoryTables: Map<string, unknown[]>;
}

const registries = new WeakMap<Context, QueryRegistry>();

/** The registry of `kc`, made on first use. */
export function queryRegistryOf(kc: Context): QueryRegistry {
  let registry = registries.get(kc);
  if (registry === undefined) {
    registry = { running: new Set(), memoryTables: new Map() };
    registries.set(kc, registry);
  }
  return registry;
}
