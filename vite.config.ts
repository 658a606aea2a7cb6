/// <reference types="vitest/config" />
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Logger, type Plugin } from 'vite';

const project = import.meta.dirname;

/** The performance budget's limits, gzip bytes (1 kB = 1,000 bytes). */
const INITIAL_JS_LIMIT = 100_000;
const WORKER_LIMIT = 15_000;

/**
 * Prints one line after a production build: the gzip size of the initial JS (the entry chunks
 * and every chunk they import statically) and of the worker, against the budget, PASS or OVER.
 * Lazily imported chunks (the auto-layout) are listed apart. `npm run bench:ui` prints the same
 * figures, measured on the files (tests/bench/sizes.ts).
 */
function sizeReport(): Plugin {
  let logger: Logger | undefined;
  let line = '';
  return {
    name: 'routing-playground:size-report',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      logger = config.logger;
    },
    writeBundle(_options, bundle) {
      const gzip = (code: string | Uint8Array) => gzipSync(code).length;
      const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
      const verdict = (bytes: number, limit: number) => `${kB(bytes)} gzip (limit ${kB(limit).replace('.0 ', ' ')}) ${bytes <= limit ? 'PASS' : 'OVER'}`;
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        const chunk = bundle[fileName];
        if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
      };
      chunks.filter((chunk) => chunk.isEntry).forEach((chunk) => visit(chunk.fileName));
      let initialBytes = 0;
      let lazyBytes = 0;
      const lazy: string[] = [];
      for (const chunk of chunks) {
        if (initial.has(chunk.fileName)) initialBytes += gzip(chunk.code);
        else {
          lazyBytes += gzip(chunk.code);
          lazy.push(chunk.fileName.replace(/^.*\//, ''));
        }
      }
      // Workers are bundled apart and emitted into this bundle as JS assets. The budget is the
      // broker's (src/worker/entry.ts); the layout worker starts only on "Auto layout".
      const assets = Object.values(bundle).filter((file) => file.type === 'asset' && file.fileName.endsWith('.js'));
      const workers = assets.filter((file) => /(^|\/)entry-[^/]*\.js$/.test(file.fileName));
      for (const file of assets) {
        if (workers.includes(file) || file.type !== 'asset') continue;
        lazyBytes += gzip(file.source);
        lazy.push(file.fileName.replace(/^.*\//, ''));
      }
      const workerBytes = workers.reduce((sum, file) => sum + (file.type === 'asset' ? gzip(file.source) : 0), 0);
      const parts = [`initial JS ${verdict(initialBytes, INITIAL_JS_LIMIT)}`];
      if (workers.length > 0) parts.push(`worker ${verdict(workerBytes, WORKER_LIMIT)}`);
      if (lazy.length > 0) parts.push(`lazy ${kB(lazyBytes)} gzip (${lazy.join(', ')})`);
      line = parts.join(' · ');
    },
    // After Vite's own table of files.
    closeBundle() {
      if (line) logger?.info(line);
      line = '';
    },
  };
}

export default defineConfig({
  // index.html lives in src/ so the top level stays small.
  root: resolve(project, 'src'),
  // Relative URLs: the build works from any subpath (GitHub Pages, a file server's folder).
  base: './',
  publicDir: resolve(project, 'static'),
  // Svelte is configured here (no svelte.config.js): defaults, runes inferred per file.
  plugins: [svelte({ configFile: false }), sizeReport()],
  worker: {
    // The broker worker is a module worker (`{ type: 'module' }` in src/worker/client.ts).
    format: 'es',
  },
  build: {
    outDir: resolve(project, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
  },
  preview: {
    port: 4173,
  },
  test: {
    root: project,
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
