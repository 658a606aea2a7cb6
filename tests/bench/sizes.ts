/**
 * Bundle sizes against the performance budget: initial JS ≤ 100 kB gzip, worker ≤ 15 kB gzip.
 *
 * Runs the real production build (the main vite.config.ts) into a temporary folder and measures
 * the files as a server sends them: the initial JS is what index.html loads (its module script and
 * modulepreload links) plus every chunk those import statically; the worker is what
 * the broker's `new Worker(new URL('./entry.ts', import.meta.url))` names, plus its static
 * imports; every other JS file is lazy (the inspector's panels, the auto-layout worker and its
 * dagre chunk, all loaded on demand) and listed apart. gzip is node:zlib at its
 * default level; 1 kB = 1,000 bytes.
 *
 * `npx tsx tests/bench/sizes.ts` prints the report alone; `npm run bench:ui` prints it too.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const LIMITS = { initialJs: 100_000, worker: 15_000 } as const;

export interface FileSize {
  /** Relative to the build folder. */
  file: string;
  bytes: number;
  gzip: number;
}

export interface SizeReport {
  initial: FileSize[];
  worker: FileSize[];
  lazy: FileSize[];
  css: FileSize[];
}

const sum = (files: readonly FileSize[]) => files.reduce((total, f) => total + f.gzip, 0);

/** Runs `vite build` with the project's config into `outDir` (a new temporary folder by default). */
export async function buildApp(outDir = mkdtempSync(join(tmpdir(), 'routing-playground-sizes-'))): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: resolve(project, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Static imports of an ES module chunk (`import … from "./x.js"`, `import "./x.js"`, `export … from`), not `import()`. */
function staticImports(code: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|[^.\w$])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;
  for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Workers the code starts: `new Worker(new URL("…js", import.meta.url)…` (Vite may nest the URLs). */
function workerUrls(code: string): string[] {
  const found: string[] = [];
  const pattern = /new\s+(?:Shared)?Worker\(\s*(?:new\s+URL\(\s*)+["'`]([^"'`]+\.js)["'`]\s*,\s*import\.meta\.url/g;
  for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Measures a built folder (index.html at its top). */
export function measureBuild(dir: string): SizeReport {
  const measure = (file: string): FileSize => {
    const content = readFileSync(join(dir, file));
    return { file, bytes: content.length, gzip: gzipSync(content).length };
  };
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1];
  const fromHtml = (url: string) => relative(dir, resolve(dir, url.replace(/^\//, '')));
  const entries: string[] = [];
  const css: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script') && /type\s*=\s*["']module["']/.test(tag) && attr(tag, 'src')) entries.push(fromHtml(attr(tag, 'src')!));
    if (tag.startsWith('<link') && /rel\s*=\s*["']modulepreload["']/.test(tag) && attr(tag, 'href')) entries.push(fromHtml(attr(tag, 'href')!));
    if (tag.startsWith('<link') && /rel\s*=\s*["']stylesheet["']/.test(tag) && attr(tag, 'href')) css.push(fromHtml(attr(tag, 'href')!));
  }

  /** Files and their static imports, transitively. */
  const closure = (roots: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const url of staticImports(readFileSync(join(dir, file), 'utf8'))) visit(relative(dir, resolve(dir, dirname(file), url)));
    };
    roots.forEach(visit);
    return seen;
  };

  // sw.js is the service worker (src/offline): the browser's, never loaded by the page.
  const js = listFiles(dir).filter((file) => file.endsWith('.js') && file !== 'sw.js').sort();
  const initial = closure(entries);
  const workerRoots = new Set<string>();
  for (const file of js) {
    for (const url of workerUrls(readFileSync(join(dir, file), 'utf8'))) {
      // Relative URLs resolve against the chunk; '/assets/…' (an absolute base) against the folder.
      workerRoots.add(url.startsWith('/') ? fromHtml(url) : relative(dir, resolve(dir, dirname(file), url)));
    }
  }
  // The budget is the broker worker's (src/worker/entry.ts); other workers (auto-layout) start
  // on demand, so they count as lazy.
  const worker = closure([...workerRoots].filter((file) => /(^|\/)entry-[^/]*\.js$/.test(file)));
  return {
    initial: [...initial].map(measure),
    worker: [...worker].filter((file) => !initial.has(file)).map(measure),
    lazy: js.filter((file) => !initial.has(file) && !worker.has(file)).map(measure),
    css: css.map(measure),
  };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The report's lines: one per budget (PASS or OVER) and the files each counts. */
export function formatSizes(report: SizeReport): string[] {
  const lines: string[] = [];
  const files = (list: readonly FileSize[]) => list.map((f) => `${f.file} (${kB(f.bytes)} raw, ${kB(f.gzip)} gzip)`).join(', ') || 'none';
  const budget = (label: string, list: readonly FileSize[], limit: number) => {
    const total = sum(list);
    const verdict = list.length === 0 ? 'NOT FOUND' : total <= limit ? 'PASS' : 'OVER';
    lines.push(`  ${label.padEnd(11)} ${kB(total).padStart(9)} gzip  limit ${kB(limit).padStart(8)}  ${verdict}  ${files(list)}`);
  };
  budget('initial JS', report.initial, LIMITS.initialJs);
  budget('worker', report.worker, LIMITS.worker);
  lines.push(`  ${'lazy JS'.padEnd(11)} ${kB(sum(report.lazy)).padStart(9)} gzip  (not initial: loaded on demand)  ${files(report.lazy)}`);
  lines.push(`  ${'initial CSS'.padEnd(11)} ${kB(sum(report.css)).padStart(9)} gzip  (no budget)  ${files(report.css)}`);
  return lines;
}

/** Builds into a temporary folder, measures, removes the folder; returns the lines to print. */
export async function sizeReportLines(): Promise<{ report: SizeReport; lines: string[] }> {
  const outDir = await buildApp();
  try {
    const report = measureBuild(outDir);
    return { report, lines: ['Bundle sizes: production build (vite.config.ts), gzip at zlib default level, 1 kB = 1,000 bytes', ...formatSizes(report)] };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { lines } = await sizeReportLines();
  for (const line of lines) console.log(line);
}
