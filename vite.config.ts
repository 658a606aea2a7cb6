/// <reference types="vitest/config" />
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const project = import.meta.dirname;

export default defineConfig({
  // index.html lives in src/ so the top level stays small.
  root: resolve(project, 'src'),
  // Relative URLs: the build works from any subpath (GitHub Pages, a file server's folder).
  base: './',
  publicDir: resolve(project, 'static'),
  // Svelte is configured here (no svelte.config.js): defaults, runes inferred per file.
  plugins: [svelte({ configFile: false })],
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
