// comlink ships its ES module build without a package "exports" map, so Node's ESM resolution of 'comlink' picks the
// UMD file. We import the .mjs files directly; these declarations point TypeScript at comlink's own types for them.
declare module 'comlink/dist/esm/comlink.mjs' {
  export * from 'comlink/dist/esm/comlink.js';
}
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink/dist/esm/protocol.js';
  import type { NodeEndpoint } from 'comlink/dist/esm/node-adapter.js';
  export default function nodeEndpoint(endpoint: NodeEndpoint): Endpoint;
}
