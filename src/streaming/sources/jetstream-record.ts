/**
 * The public types of `readStream.jetstream()`'s records, apart from the code that fetches them: the declarations a
 * TypeScript user's compiler reads through the public surface must not import the NATS client's types, which are
 * installed only by users of this source (optional peer dependencies).
 */

/** A message as a record of `readStream.jetstream()`. */
export interface JetStreamRecord<D = unknown> {
  readonly subject: string;
  /** The stream sequence number. */
  readonly sequence: number;
  /** When the server stored the message, in ms since the epoch. */
  readonly timestamp: number;
  readonly data: D;
}

/** How message payloads become `data`. */
export type JetStreamDecode = 'buffer' | 'text' | 'json';
