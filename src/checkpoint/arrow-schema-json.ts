/**
 * The Arrow schema of a part file as JSON, for the manifest: read from the file's first message (the schema), not
 * from its record batches, so describing a large part costs a few hundred bytes of I/O.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Schema } from 'apache-arrow';
import { arrowFooter } from '../storage/arrow/arrow-module.js';

/** A field of a schema as the manifest records it. */
export interface FieldJson {
  readonly name: string;
  /** Arrow's own name of the type: `Int32`, `Float64`, `Utf8`, `Binary`, `Bool`, `Int64`, `Null`. */
  readonly type: string;
  readonly nullable: boolean;
  readonly metadata: Record<string, string>;
}

/** A schema as the manifest records it. */
export interface SchemaJson {
  readonly fields: readonly FieldJson[];
  readonly metadata: Record<string, string>;
}

/**
 * A schema's JSON form.
 *
 * @example
 * schemaToJson(batch.schema); // { fields: [{ name: 'key', type: 'Utf8', … }], metadata: { 'kindling.shape': 'pair' } }
 */
export function schemaToJson(schema: Schema): SchemaJson {
  return {
    fields: schema.fields.map((field) => ({
      name: field.name,
      type: String(field.type),
      nullable: field.nullable,
      metadata: Object.fromEntries(field.metadata),
    })),
    metadata: Object.fromEntries(schema.metadata),
  };
}

/**
 * The schema of an Arrow IPC file, read from its footer (the file's last bytes: footer flatbuffer, its int32
 * length, `ARROW1`). apache-arrow JS keeps the schema only there: its files have no leading schema message.
 *
 * @example
 * readIpcFileSchema('/ckpt/rdd-3-ab12/part-00000.arrow').fields.length;
 */
export function readIpcFileSchema(path: string): SchemaJson {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(10);
    readSync(fd, tail, 0, 10, size - 10);
    const footerBytes = tail.readInt32LE(0);
    const footer = Buffer.alloc(footerBytes);
    readSync(fd, footer, 0, footerBytes, size - 10 - footerBytes);
    return schemaToJson(arrowFooter().Footer.decode(footer).schema);
  } finally {
    closeSync(fd);
  }
}
