import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

// `npm run build:web` builds into web/dist, which the server serves at /. `vite --config web/vite.config.ts`
// serves the app with hot reload and forwards /api and /i to an Arbor server on ARBOR_API (default :3000).
export default defineConfig({
  root,
  plugins: [react()],
  // The server's pure modules (money, receivables' spend rule) shared as they are, never copied.
  resolve: { alias: { '@arbor': path.join(root, '../src') } },
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-.*|victory-vendor|@reduxjs|redux|immer)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.ARBOR_API ?? 'http://localhost:3000',
      '/i/': process.env.ARBOR_API ?? 'http://localhost:3000',
    },
  },
});
