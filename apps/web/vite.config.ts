import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on its own port; everything that is not a page goes to it.
// `pnpm dev` runs the API with the same PORT, so the proxy follows it; API_URL points elsewhere.
const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT || 3000}`;
const apiPaths = ['/api', '/summary_data', '/availability', '/queue', '/healthz', '/readyz'];

// @ticketing/shared is pure code, but its API schemas are built with TypeBox calls at import time, which a
// bundler must otherwise keep. The client uses only the types and the input rules, so declaring the package
// free of side effects lets the schemas and the engine (and TypeBox) drop out of the bundle.
const isSharedPackage = (id: string) => /[\\/]packages[\\/]shared[\\/]src[\\/]/.test(id);

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      treeshake: { moduleSideEffects: (id: string) => !isSharedPackage(id) },
    },
  },
});
