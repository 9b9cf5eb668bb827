import type { JsMsg } from '@nats-io/jetstream';
import type { JetStreamConnection } from './jetstream-connection.js';
import type { JetStreamDecode, JetStreamRecord } from './jetstream-record.js';

/** Messages asked for per pull: the backpressure bound of one fetch (they are held until the batch is read). */
const MESSAGES_PER_FETCH_MAX = 1_000;
/** The shortest wait the server accepts for a pull request. */
const FETCH_EXPIRES_MS = 1_000;

/**
 * Reads the messages of stream sequences `[from, end]` (matching `subject`, when given) with an ordered pull
 * consumer: ephemeral, no acknowledgements, so nothing the source does removes or hides a message a replay needs.
 * Appends to `into` and returns normally once the range is read; throws on a failure, and the caller retries from
 * the sequence after the last message in `into`.
 */
export async function fetchRange(
  connection: JetStreamConnection,
  stream: string,
  subject: string | undefined,
  from: number,
  end: number,
  decode: JetStreamDecode,
  into: JetStreamRecord[],
): Promise<void> {
  const { DeliverPolicy } = connection.modules;
  const consumer = await connection.js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
    ...(subject === undefined ? {} : { filter_subjects: subject }),
  });
  let next = from;
  for (;;) {
    const wanted = Math.min(MESSAGES_PER_FETCH_MAX, end - next + 1);
    const messages = await consumer.fetch({ max_messages: wanted, expires: FETCH_EXPIRES_MS });
    let received = 0;
    let done = false;
    // Leaving the loop with `break` stops the pull (closing it from inside the loop would wait for the loop).
    for await (const message of messages) {
      const sequence = message.seq;
      if (sequence > end) {
        done = true;
        break;
      }
      into.push(recordOf(message, decode, stream));
      received++;
      next = sequence + 1;
      if (sequence >= end || message.info.pending === 0) {
        done = true;
        break;
      }
    }
    if (done) return;
    if (received === 0) {
      // No message arrived before the pull expired: either nothing more matches in the range, or the server is
      // unreachable. Ask the consumer: a failure here is thrown and retried.
      const info = await consumer.info();
      if (info.num_pending === 0) return;
      throw new Error(`the pull for sequences ${next}..${end} of stream ${stream} returned no message`);
    }
  }
}

function recordOf(message: JsMsg, decode: JetStreamDecode, stream: string): JetStreamRecord {
  let data: unknown;
  switch (decode) {
    case 'buffer':
      data = Buffer.from(message.data);
      break;
    case 'text':
      data = message.string();
      break;
    case 'json':
      try {
        data = message.json();
      } catch (error: unknown) {
        throw new BadMessageError(
          `message ${message.seq} of stream ${stream} (subject ${message.subject}) is not JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      break;
  }
  return {
    subject: message.subject,
    sequence: message.seq,
    timestamp: Number(message.timestampNanos / BigInt(1_000_000)),
    data,
  };
}

/** A message the source cannot decode as asked: retrying cannot help. */
export class BadMessageError extends Error {}
