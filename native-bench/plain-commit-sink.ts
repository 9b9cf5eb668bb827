/**
 * The PostgreSQL sink's writes without two-phase commit, for the bench's comparison: the same multi-row INSERTs in
 * one transaction per partition task, ended with a plain COMMIT in `prepare` (at-least-once: a rerun batch writes
 * its rows again). Only `PREPARE TRANSACTION` and `COMMIT PREPARED` differ from `format('postgres')`.
 */
import type { TwoPhaseCommitSink } from '../src/protocol/sink.js';
import { insertStatements } from '../src/streaming/sinks/postgres/insert-statements.js';
import { withClient } from '../src/streaming/sinks/postgres/pg-client.js';

export const plainCommitSink: TwoPhaseCommitSink<number> = {
  async prepare(_batchId, _partition, rows, { options }) {
    const statements = insertStatements(options['table'] as string, rows, { kind: 'append' });
    await withClient(options['connection'] as string, 0, async (client) => {
      await client.query('BEGIN');
      for (const statement of statements) await client.query(statement.text, statement.values);
      await client.query('COMMIT');
    });
    return rows.length;
  },
  commit() {},
  abort() {},
};
