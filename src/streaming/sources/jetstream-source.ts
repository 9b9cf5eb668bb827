import type { Context } from '../../api/context/context.js';
import type { RDD } from '../../api/rdd/rdd.js';
import { AssertionError, MissingPackageError, StreamingQueryError } from '../../common/errors.js';
import { integerSourceOption, invalidSourceOption } from './source-options.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import type { StreamSource } from './stream-source.js';
import { retryWithBackoff } from '../../common/retry-with-backoff.js';
import { openJetStream, type JetStreamConnection } from './jetstream-connection.js';
import { BadMessageError, fetchRange } from './jetstream-fetch.js';
import type { JetStreamDecode, JetStreamRecord } from './jetstream-record.js';

/** Options of `readStream.jetstream()`. */
export interface JetStreamSourceOptions {
  /** NATS server URLs (`nats://127.0.0.1:4222`); credentials may be part of them, and are never recorded. */
  servers: string | readonly string[];
  /** The JetStream stream to read (it must exist). */
  stream: string;
  /**
   * Only messages on this subject (wildcards allowed).
   * @default every message of the stream
   */
  subject?: string;
  /**
   * At most this many stream sequences per batch (with `subject`, the batch holds those of them that match).
   * @default no limit
   */
  maxMessagesPerTrigger?: number;
  /**
   * `data` of each record: the payload as a `Buffer`, as UTF-8 text, or `JSON.parse`d.
   * @default 'buffer'
   */
  decode?: JetStreamDecode;
  /**
   * Partitions of each batch.
   * @default the Context's defaultParallelism
   */
  numPartitions?: number;
  /**
   * How long a step keeps retrying (doubling waits) while the servers are unreachable before the query fails.
   * @default 30000
   */
  retryMs?: number;
}

const JETSTREAM_OPTIONS = optionNames<JetStreamSourceOptions>({
  servers: true,
  stream: true,
  subject: true,
  maxMessagesPerTrigger: true,
  decode: true,
  numPartitions: true,
  retryMs: true,
});

/** Offsets of a JetStream batch: the stream sequences `[start, end]` it reads (both inclusive). */
interface SequenceRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A NATS JetStream stream as a replayable source (as Spark's Kafka source): batch N's offsets are the stream
 * sequence range it reads, recorded in `offsets/N` before the batch runs, so a restart replays exactly those
 * messages. The driver pulls a batch's messages (ordered consumer, bounded pulls, no acknowledgements) and hands
 * them to the batch's tasks; records are `{ subject, sequence, timestamp, data }`. The query reads from the start
 * of the stream; messages the stream's retention removed before they were read are skipped, and a replay whose
 * messages are gone fails with a clear error.
 */
export class JetStreamSource implements StreamSource {
  readonly description: string;
  readonly #servers: readonly string[];
  readonly #stream: string;
  readonly #subject: string | undefined;
  readonly #maxMessages: number;
  readonly #decode: JetStreamDecode;
  readonly #numPartitions: number | undefined;
  readonly #retryMs: number;
  readonly #options: JetStreamSourceOptions;
  #connection: Promise<JetStreamConnection> | null = null;
  /** The last sequence planned into a batch. */
  #taken = 0;
  #freezeAsked = false;
  #frozenLast: number | null = null;
  #loaded: { readonly batchId: number; readonly records: JetStreamRecord[] } | null = null;

  constructor(options: JetStreamSourceOptions) {
    const where = 'readStream.jetstream()';
    refuseUnknownOptions(where, options, JETSTREAM_OPTIONS);
    this.#options = options;
    const servers = typeof options.servers === 'string' ? [options.servers] : options.servers;
    if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string')) {
      throw invalidSourceOption(where, 'servers', 'a server URL or a non-empty array of them', options.servers);
    }
    if (typeof options.stream !== 'string' || options.stream.length === 0) {
      throw invalidSourceOption(where, 'stream', 'the name of a JetStream stream', options.stream);
    }
    if (options.subject !== undefined && (typeof options.subject !== 'string' || options.subject.length === 0)) {
      throw invalidSourceOption(where, 'subject', 'a subject (wildcards allowed)', options.subject);
    }
    const max = integerSourceOption(where, 'maxMessagesPerTrigger', options.maxMessagesPerTrigger);
    const decode = options.decode ?? 'buffer';
    if (!['buffer', 'text', 'json'].includes(decode)) {
      throw invalidSourceOption(where, 'decode', "'buffer', 'text' or 'json'", decode);
    }
    this.#servers = servers;
    this.#stream = options.stream;
    this.#subject = options.subject;
    this.#maxMessages = max ?? Number.POSITIVE_INFINITY;
    this.#decode = decode;
    this.#numPartitions = integerSourceOption(where, 'numPartitions', options.numPartitions);
    this.#retryMs = integerSourceOption(where, 'retryMs', options.retryMs, 0) ?? 30_000;
    // Servers are left out: they may carry credentials, and the same stream behind new addresses is the same query.
    this.description = `jetstream(${options.stream}${options.subject === undefined ? '' : `, ${options.subject}`})`;
  }

  forQuery(): JetStreamSource {
    return new JetStreamSource(this.#options);
  }

  restore(offsets: readonly unknown[]): void {
    for (const offset of offsets) this.commitOffsets(offset);
  }

  freeze(): void {
    // The last sequence is read from the server by the next nextOffsets (this method is synchronous).
    this.#freezeAsked = true;
  }

  async nextOffsets(unlimited: boolean): Promise<SequenceRange | null> {
    const state = await this.#retry('read the state of', async (connection) => {
      const info = await connection.jsm.streams.info(this.#stream);
      return { first: info.state.first_seq, last: info.state.last_seq };
    });
    if (this.#freezeAsked && this.#frozenLast === null) this.#frozenLast = state.last;
    const last = Math.min(state.last, this.#frozenLast ?? Number.POSITIVE_INFINITY);
    const start = Math.max(this.#taken + 1, state.first);
    if (start > last) return null;
    const end = unlimited ? last : Math.min(last, start + this.#maxMessages - 1);
    return { start, end };
  }

  commitOffsets(offsets: unknown): void {
    this.#taken = Math.max(this.#taken, (offsets as SequenceRange).end);
  }

  /** Pulls the batch's messages to the driver; `read` then hands them to the batch's tasks. */
  async load(offsets: unknown, batchId: number): Promise<void> {
    const { start, end } = offsets as SequenceRange;
    const records: JetStreamRecord[] = [];
    await this.#retry(`read sequences ${start}..${end} of batch ${batchId} from`, async (connection) => {
      const from = records.length === 0 ? start : records.at(-1)!.sequence + 1;
      if (records.length === 0) {
        const info = await connection.jsm.streams.info(this.#stream);
        if (info.state.first_seq > start && info.state.messages > 0) {
          throw new ReplayLostError(
            `batch ${batchId} reads sequences ${start}..${end}, but the stream now starts at ${info.state.first_seq} (its retention removed messages the batch needs), so the batch cannot be replayed exactly`,
          );
        }
      }
      if (from <= end) await fetchRange(connection, this.#stream, this.#subject, from, end, this.#decode, records);
    });
    this.#loaded = { batchId, records };
  }

  read(kc: Context, _offsets: unknown, batchId: number): RDD<any> {
    return kc.parallelize(this.#loadedFor(batchId), this.#numPartitions ?? kc.options.defaultParallelism);
  }

  countOf(_offsets: unknown): number | null {
    return this.#loaded?.records.length ?? null;
  }

  /** Closes the connection (a new one is opened if the source is used again). */
  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#loaded = null;
    if (connection !== null) await connection.then((c) => c.nc.close()).catch(() => {});
  }

  #loadedFor(batchId: number): JetStreamRecord[] {
    if (this.#loaded?.batchId !== batchId) {
      throw new AssertionError(`jetstream source: batch ${batchId} was read before its messages were loaded`);
    }
    return this.#loaded.records;
  }

  async #retry<T>(what: string, work: (connection: JetStreamConnection) => Promise<T>): Promise<T> {
    try {
      return await retryWithBackoff(
        this.#retryMs,
        async () => work(await (this.#connection ??= openJetStream(this.#servers))),
        (error) => !isPermanent(error),
        async () => {
          // A connection that failed to open, or that the client closed, is opened anew on the next try.
          const connection = await this.#connection?.catch(() => null);
          if (connection === null || connection === undefined || connection.nc.isClosed()) this.#connection = null;
        },
      );
    } catch (error: unknown) {
      if (error instanceof MissingPackageError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StreamingQueryError(
        'ERR_STREAM_SOURCE',
        `${this.description}: cannot ${what} the stream${isPermanent(error) ? '' : ` (retried for ${this.#retryMs} ms)`}: ${message}`,
        { cause: error },
      );
    }
  }
}

/** A replay whose messages the stream no longer has. */
class ReplayLostError extends Error {}

function isPermanent(error: unknown): boolean {
  if (error instanceof ReplayLostError || error instanceof BadMessageError || error instanceof MissingPackageError) {
    return true;
  }
  // A JetStream API error with code 10059: stream not found.
  return error instanceof Error && error.name !== 'Error' && (error as { code?: unknown }).code === 10059;
}
