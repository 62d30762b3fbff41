import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Build tooling for the dashboard (src/web), kept out of src/: only the dev server reads the environment. */
const root = fileURLToPath(new URL('./src/web/', import.meta.url));
/** The API a `npm run dev:web` session talks to (a running `tributary serve` or `npm run demo`). */
const api = process.env.TRIBUTARY_API_URL ?? 'http://127.0.0.1:7070';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': api, '/v1': api },
  },
});
