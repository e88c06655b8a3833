import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { conflictLabApi } from './mock-server/vite-plugin.ts';

// `npm run dev`: one process, one origin. The mock server's API is mounted into Vite's dev
// server, so the app calls `/api/...` with no proxy and no CORS.
export default defineConfig({
  plugins: [react(), conflictLabApi()],
  server: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    watch: { ignored: ['**/data/**', '**/test-results/**', '**/playwright-report/**'] },
  },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Everything the first page load imports statically, in the entry chunk. Without this,
        // modules the entry shares with lazy chunks (the problem texts, TanStack Query, …) are
        // split into chunks of their own that the first load fetches anyway, each a request and
        // its own gzip: https://github.com/rolldown/rolldown/issues/10731
        codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
      },
    },
  },
});
