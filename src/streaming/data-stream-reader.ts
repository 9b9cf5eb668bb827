import type { Context } from '../api/context/context.js';
import { wallClock } from '../common/clock.js';
import { FileSource, type FileSourceOptions } from './sources/file-source.js';
import { MemorySource, type MemorySourceOptions } from './sources/memory-source.js';
import { RateSource, type RateSourceOptions } from './sources/rate-source.js';
import { JetStreamSource, type JetStreamSourceOptions } from './sources/jetstream-source.js';
import type { JetStreamRecord } from './sources/jetstream-record.js';
import type { StreamSource } from './sources/stream-source.js';
import { Stream } from './stream.js';

/**
 * A stream fed from the driver with `addData` (Spark's `MemoryStream`): see `MemorySource` for its replay rules.
 * @example
 * const input = kc.readStream.memory<string>();
 * input.addData('a b', 'b c');
 */
export class MemoryStream<T> extends Stream<T> {
  readonly #source: MemorySource<T>;

  /** @internal */
  constructor(kc: Context, source: MemorySource<T>) {
    super(sourcePlan(kc, source), kc.emptyRDD());
    this.#source = source;
  }

  /** Appends records for the next batches; returns the offset after them. */
  addData(...records: T[]): number {
    return this.#source.addData(records);
  }
}

/**
 * Where streams come from (Spark's `DataStreamReader`): `kc.readStream.textFiles(dir)`, `jsonlFiles(dir)`,
 * `memory()`, `rate()`.
 */
export class DataStreamReader {
  readonly #kc: Context;

  /** @internal */
  constructor(kc: Context) {
    this.#kc = kc;
  }

  /** Lines of the files that appear in `dir` (each taken once, whole, oldest first). */
  textFiles(dir: string, options: FileSourceOptions = {}): Stream<string> {
    return new Stream(sourcePlan(this.#kc, new FileSource(dir, 'text', options)), this.#kc.emptyRDD());
  }

  /**
   * One `JSON.parse`d record per non-blank line of the files that appear in `dir` (any JSON value: an object, an
   * array, a number …). A line that is not JSON fails the batch at its first attempt with a `StreamingQueryError`
   * whose cause is an `InputError` `ERR_INPUT_INVALID_RECORD` naming the batch and `file:line`.
   */
  jsonlFiles<T = unknown>(dir: string, options: FileSourceOptions = {}): Stream<T> {
    return new Stream(sourcePlan(this.#kc, new FileSource(dir, 'jsonl', options)), this.#kc.emptyRDD());
  }

  /** Records pushed from the driver (`addData`), for tests and in-process producers. */
  memory<T>(options: MemorySourceOptions = {}): MemoryStream<T> {
    return new MemoryStream<T>(this.#kc, new MemorySource<T>(options));
  }

  /**
   * The messages of a NATS JetStream stream as `{ subject, sequence, timestamp, data }` records, replayed exactly
   * after a restart (batch offsets are stream sequence ranges). Needs the optional packages `@nats-io/transport-node`
   * and `@nats-io/jetstream`.
   * @example
   * kc.readStream.jetstream<{ user: string }>({ servers: 'nats://127.0.0.1:4222', stream: 'EVENTS', decode: 'json' })
   */
  jetstream<D = Buffer>(options: JetStreamSourceOptions): Stream<JetStreamRecord<D>> {
    return new Stream(sourcePlan(this.#kc, new JetStreamSource(options)), this.#kc.emptyRDD());
  }

  /** `{ timestamp, value }` rows at `rowsPerSecond` (Spark's rate source), for load tests. */
  rate(options: RateSourceOptions = {}): Stream<{ timestamp: number; value: number }> {
    return new Stream(sourcePlan(this.#kc, new RateSource(options, wallClock)), this.#kc.emptyRDD());
  }
}

function sourcePlan(kc: Context, source: StreamSource) {
  return {
    kc,
    sources: [source],
    description: source.description,
    stateful: null,
    recordWise: true,
    build: (batch: { input(source: StreamSource): ReturnType<StreamSource['read']> }) => batch.input(source),
  };
}
