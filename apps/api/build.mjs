// Bundles the API into one plain-JavaScript file, so production start-up needs no TypeScript runtime.
// Registry packages stay external (installed in node_modules); the workspace's TypeScript is bundled in,
// and so are the ES-module packages listed below: only the parts used are kept, and start-up does not
// load the rest (all of TypeBox took a tenth of a second to load, its type builders alone a few ms).
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const { dependencies = {} } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['@sinclair/typebox']);
const external = Object.entries(dependencies)
  .filter(([name, version]) => !String(version).startsWith('workspace:') && !BUNDLED.has(name))
  .map(([name]) => name);

await build({
  entryPoints: ['src/server.ts'],
  outdir: 'dist',
  bundle: true,
  // The PostgreSQL store is a chunk of its own, loaded only when DATABASE_URL is set.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
