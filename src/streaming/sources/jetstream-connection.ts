import type { NatsConnection } from '@nats-io/transport-node';
import type * as Transport from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type * as JetStream from '@nats-io/jetstream';
import { MissingPackageError } from '../../common/errors.js';

type TransportModule = typeof Transport;
type JetStreamModule = typeof JetStream;

/** The optional NATS packages, imported on first use (peer dependencies: only this source needs them). */
export async function loadNats(): Promise<{ transport: TransportModule; jetstream: JetStreamModule }> {
  const load = async <T>(name: string, importer: () => Promise<T>): Promise<T> => {
    try {
      return await importer();
    } catch (error: unknown) {
      throw new MissingPackageError('readStream.jetstream()', name, { cause: error });
    }
  };
  const transport = await load('@nats-io/transport-node', () => import('@nats-io/transport-node'));
  const jetstream = await load('@nats-io/jetstream', () => import('@nats-io/jetstream'));
  return { transport, jetstream };
}

/** A connection to the NATS servers with its JetStream handles. */
export interface JetStreamConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly modules: JetStreamModule;
}

/** Connects to `servers`; the client reconnects by itself after a short outage, our retry loop covers the rest. */
export async function openJetStream(servers: readonly string[]): Promise<JetStreamConnection> {
  const { transport, jetstream } = await loadNats();
  const nc = await transport.connect({
    servers: [...servers],
    name: 'kindling',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  return { nc, js: jetstream.jetstream(nc), jsm: await jetstream.jetstreamManager(nc), modules: jetstream };
}

/** First wait between tries; doubles up to `RETRY_WAIT_MS_MAX`. */
const RETRY_WAIT_MS_FIRST = 100;
const RETRY_WAIT_MS_MAX = 2_000;

/**
 * Runs `work` until it succeeds or `retryMs` have passed (then the last error is thrown). Errors that retrying
 * cannot fix (`isPermanent`: a missing stream, a damaged replay) are thrown at once. `onFailure` runs after each
 * failed try (to drop a connection the client gave up on).
 */
export async function withRetry<T>(
  retryMs: number,
  work: () => Promise<T>,
  isPermanent: (error: unknown) => boolean,
  onFailure: () => Promise<void>,
): Promise<T> {
  const deadlineMs = performance.now() + retryMs;
  let waitMs = RETRY_WAIT_MS_FIRST;
  for (;;) {
    try {
      return await work();
    } catch (error: unknown) {
      await onFailure();
      if (isPermanent(error) || performance.now() + waitMs > deadlineMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    waitMs = Math.min(waitMs * 2, RETRY_WAIT_MS_MAX);
  }
}
