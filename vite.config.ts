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
  build: { target: 'es2022', sourcemap: true },
});
