import { defineConfig } from 'vite';

/**
 * The web app: built into dist/web, which the API serves at / in production. `npm run dev:web`
 * runs Vite's dev server here and proxies the API's paths to API_URL (default http://localhost:3000).
 */
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // One small app: a single chunk keeps the CSP simple and the first load short.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: { '/api': api, '/docs': api, '/docs-json': api, '/health': api },
  },
  preview: { port: Number(process.env.WEB_PORT ?? 4173) },
});
