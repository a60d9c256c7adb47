// Bundles the API, its dependencies included, into plain JavaScript, so production start-up needs no
// TypeScript runtime and does not resolve and read a few hundred files from node_modules: loading the web
// stack took a quarter of a second that way, about half of it bundled. Only the PostgreSQL driver stays
// outside (it may load an optional native module); its store is a chunk of its own, loaded only when
// DATABASE_URL is set.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/server.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['pg', 'pg-native'],
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
