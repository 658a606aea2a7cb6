/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Logger, type Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

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
      // sw.js (offlineCache) is the browser's, not the page's.
      const assets = Object.values(bundle).filter((file) => file.type === 'asset' && file.fileName.endsWith('.js') && file.fileName !== 'sw.js');
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

/**
 * Writes `sw.js` (src/offline/service-worker.js with the build's VERSION and FILES in front), so
 * the site works offline once loaded: every emitted file and every static one (the favicon).
 */
function offlineCache(): Plugin {
  const staticDir = resolve(project, 'static');
  return {
    name: 'routing-playground:offline-cache',
    apply: 'build',
    generateBundle(_options, bundle) {
      const hash = createHash('sha256');
      const files: string[] = [];
      for (const file of Object.values(bundle).sort((a, b) => a.fileName.localeCompare(b.fileName))) {
        hash.update(file.fileName).update(file.type === 'chunk' ? file.code : file.source);
        if (file.fileName !== 'index.html') files.push(file.fileName);
      }
      for (const name of readdirSync(staticDir).sort()) {
        hash.update(name).update(readFileSync(resolve(staticDir, name)));
        files.push(name);
      }
      const template = readFileSync(resolve(project, 'src/offline/service-worker.js'), 'utf8');
      const constants = `const VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 16))};\nconst FILES = ${JSON.stringify(files)};\n`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: constants + template });
    },
  };
}

/**
 * The single-file build (`vite build --mode single`) swaps a module `x.ts` for `x.single.ts`
 * where one exists beside it (how workers start: the only thing a page opened from disk does
 * differently), and puts the favicon in the page as a data URL.
 */
function singleFileVariants(): Plugin {
  return {
    name: 'routing-playground:single-file-variants',
    enforce: 'pre',
    transformIndexHtml(html) {
      const icon = readFileSync(resolve(project, 'static/favicon.svg'));
      return html.replace('href="./favicon.svg"', `href="data:image/svg+xml;base64,${icon.toString('base64')}"`);
    },
    async resolveId(source, importer, options) {
      if (!importer || !source.startsWith('.') || source.includes('?')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !resolved.id.endsWith('.ts') || resolved.id.endsWith('.single.ts')) return null;
      const variant = resolved.id.replace(/\.ts$/, '.single.ts');
      return existsSync(variant) ? variant : null;
    },
  };
}

export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    // index.html lives in src/ so the top level stays small.
    root: resolve(project, 'src'),
    // Relative URLs: the build works from any subpath (GitHub Pages, a file server's folder).
    base: './',
    publicDir: single ? false : resolve(project, 'static'),
    // Svelte is configured here (no svelte.config.js): defaults, runes inferred per file.
    plugins: single
      ? [singleFileVariants(), svelte({ configFile: false }), viteSingleFile({ removeViteModuleLoader: true })]
      : [svelte({ configFile: false }), offlineCache(), sizeReport()],
    worker: {
      // The broker worker is a module worker (`{ type: 'module' }` in src/worker/spawn.ts). Inlined,
      // it is one classic script, its lazy analysis chunk included: a page opened from disk can
      // start a classic worker from a blob but not a module one.
      format: single ? 'iife' : 'es',
      ...(single ? { rolldownOptions: { output: { codeSplitting: false } } } : {}),
    },
    build: {
      outDir: resolve(project, single ? 'dist-single' : 'dist'),
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
  };
});
