import { AssertionError } from './errors.js';

/**
 * Checks an invariant of kindling's own code (TigerBeetle's habit). Never use it for the outside world's input:
 * that gets a typed error with a message for the user.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Exhaustiveness check for switches over unions: a new case fails type-checking here. */
export function assertNever(value: never, what: string): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
