import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on its own port; everything that is not a page goes to it.
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:3000';
const apiPaths = ['/api', '/summary_data', '/availability', '/queue', '/healthz', '/readyz'];

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
  build: { outDir: 'dist', sourcemap: true },
});
