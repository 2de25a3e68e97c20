// Builds the dashboard into dist/ (served by the control plane at /) and proxies the API in `npm run dev -w @novacron/web`.
import react from '@vitejs/plugin-react';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// Writes a .gz beside every text asset so the server sends compressed files without compressing per request.
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'novacron-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const file of new Set([...Object.keys(bundle), 'index.html'])) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const path = join(outDir, file);
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
      }
    },
  };
}

const api = process.env.NOVACRON_API ?? 'http://127.0.0.1:8090';

export default defineConfig({
  plugins: [react(), precompress()],
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: api, ws: true, changeOrigin: false } } },
});
