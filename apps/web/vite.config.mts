import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The dashboard: static files built into dist/web, served by the API at `/`. */
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  logLevel: 'warn',
  build: { outDir: resolve(import.meta.dirname, '../../dist/web'), emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
