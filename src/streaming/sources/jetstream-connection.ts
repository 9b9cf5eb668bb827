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
