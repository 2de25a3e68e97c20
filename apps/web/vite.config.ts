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

// noVNC 1.7 probes H.264 decoding with a top-level await (core/util/browser.js). Any top-level await in the graph makes
// Rolldown turn off chunk merging for the whole build, which split the initial bundle into ~35 files (+10 KB gzip).
// The probe becomes a background assignment to the same live binding: until it settles, noVNC does not offer H.264,
// which QEMU's VNC server does not use anyway. Fails the build if noVNC changes the line, rather than silently not applying.
function novncWithoutTopLevelAwait(): Plugin {
  const line = 'supportsWebCodecsH264Decode = await _checkWebCodecsH264DecodeSupport();';
  return {
    name: 'novacron-novnc-without-top-level-await',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').includes('/@novnc/novnc/core/util/browser.js')) return null;
      if (!code.includes(line)) throw new Error(`@novnc/novnc changed: "${line}" not found in ${id}; review novncWithoutTopLevelAwait in vite.config.ts`);
      return { code: code.replace(line, '_checkWebCodecsH264DecodeSupport().then((ok) => { supportsWebCodecsH264Decode = ok; }, () => undefined);'), map: null };
    },
  };
}

const api = process.env.NOVACRON_API ?? 'http://127.0.0.1:8090';

export default defineConfig({
  plugins: [react(), precompress(), novncWithoutTopLevelAwait()],
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: api, ws: true, changeOrigin: false } } },
});
