/**
 * The UI benchmark's pages (pages/*.html), built in production mode like the app: the same
 * Svelte plugin setup as the main vite.config.ts (no svelte.config.js, defaults, runes inferred),
 * module worker, es2022, relative URLs. Output goes to a temporary folder, never dist/.
 */
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { InlineConfig } from 'vite';

const pages = resolve(import.meta.dirname, 'pages');
const project = resolve(import.meta.dirname, '../../..');

export function benchViteConfig(outDir: string): InlineConfig {
  return {
    configFile: false,
    root: pages,
    base: './',
    mode: 'production',
    logLevel: 'warn',
    plugins: [svelte({ configFile: false })],
    worker: { format: 'es' },
    // The pages import the app's sources and node_modules from the project root.
    server: { fs: { allow: [project] } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // BENCH_UI_PROFILE keeps names readable in the CPU profile it prints.
      minify: !process.env.BENCH_UI_PROFILE,
      reportCompressedSize: false,
      rolldownOptions: {
        // The build's own timing notes are noise in the benchmark's output.
        checks: { bundlerTimings: false },
        input: {
          playground: resolve(pages, 'playground.html'),
          bare: resolve(pages, 'bare.html'),
        },
      },
    },
  };
}

export default benchViteConfig(process.env.BENCH_UI_OUT_DIR ?? resolve(tmpdir(), 'routing-playground-bench-ui'));
