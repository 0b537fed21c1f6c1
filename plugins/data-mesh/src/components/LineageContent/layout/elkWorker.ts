// Loaded only where Worker exists (never under Jest), because of `import.meta`. The bundler
// (Rspack in the Backstage CLI) recognises `new Worker(new URL(…, import.meta.url))` and emits
// elkjs's self-contained worker script as a chunk of its own.

/** A Web Worker running ELK, from elkjs's prebuilt worker script. */
export function createElkWorker(): Worker {
  return new Worker(new URL('elkjs/lib/elk-worker.min.js', import.meta.url));
}
