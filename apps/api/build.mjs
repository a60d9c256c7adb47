// Bundles the API into one plain-JavaScript file, so production start-up needs no TypeScript runtime.
// Registry packages stay external (installed in node_modules); the workspace's TypeScript is bundled in.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const { dependencies = {} } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.entries(dependencies)
  .filter(([, version]) => !String(version).startsWith('workspace:'))
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
