/**
 * `npm run bench:ui`: the UI's performance budget, measured in Chromium.
 *
 *   1. Bundle sizes of the production build (tests/bench/sizes.ts): initial JS ≤ 100 kB gzip,
 *      worker ≤ 15 kB gzip.
 *   2. First render of a 20-node diagram ≤ 0.5 s from navigation: the real app (page
 *      "playground", `?nodes=20`) until its 20 nodes are in the DOM and until the status reads
 *      'Broker running in a Web Worker'; a bare Svelte Flow page with the same graph as reference.
 *   3. Frames with 300 nodes and about 1,000 messages in flight: p95 of the intervals between
 *      animation frames ≤ 20 ms, beside a bare Svelte Flow page with the same graph and 1,000
 *      circles moved every frame (the reference, timed in the same run; their ratio is the figure
 *      that means something on a machine without a GPU).
 *
 * The pages (tests/bench/ui/pages/) are built in production mode into a temporary folder, served
 * by `vite preview` on a free port from 4300, and driven in the system's Chromium (CHROMIUM_PATH,
 * default /usr/bin/chromium; nothing is downloaded). A missed budget prints OVER and exits 0;
 * only a crash exits non-zero. The server, the browser and the folder are removed in every case.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { build, preview, type PreviewServer } from 'vite';
import { sizeReportLines } from '../sizes';
import { benchCounts } from './graph';
import { benchViteConfig } from './vite.config';
import { chromiumArgs, chromiumPath } from '../../support/chromium';

const VIEWPORT = { width: 1280, height: 800 };

const FRAME_P95_BUDGET_MS = 20;
const FIRST_RENDER_BUDGET_MS = 500;
const BIG = 300;
const SMALL = 20;
const DOTS = 1000;
/** Per page: rounds (alternating bare / playground), each a warm-up then a measured window. */
const FRAME_ROUNDS = 2;
const WARMUP_MS = 1000;
const MEASURE_MS = 4000;
/** The playground: every producer's Publish button (a burst of 50) clicked this often: a message's three hops of 600 ms. */
const PUBLISH_EVERY_MS = 1800;
const FIRST_RENDER_RUNS = 5;
/** The whole run may not last longer (a hang is a crash). */
const DEADLINE_MS = 240_000;

const log = (line = '') => console.log(line);

// ---- helpers -----------------------------------------------------------------------------

/**
 * A browser context for one page load. tsx (esbuild, keepNames) wraps named inner functions in
 * `__name(…)`, which the functions sent to the page (init scripts, page.evaluate) then call: the
 * page gets a `__name` that does nothing.
 */
async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  return context;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const median = (values: readonly number[]) => percentile(values, 50);
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const verdict = (value: number, budget: number) => (Number.isFinite(value) && value <= budget ? 'PASS' : 'OVER');

/** The first port from `from` that 127.0.0.1 can listen on. */
async function freePort(from: number, to = from + 99): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${from} to ${to}`);
}

/** Watches the page from its first script on: when the nodes are in the DOM, visible, and the broker says it runs. */
function watchFirstRender(want: { nodes: number; broker: boolean }): void {
  const marks: { nodes?: number; visible?: number; ready?: number; done: boolean } = { done: false };
  (window as unknown as { __firstRender: typeof marks }).__firstRender = marks;
  let painted = false;
  const check = () => {
    const now = performance.now();
    const nodes = document.querySelectorAll<HTMLElement>('.svelte-flow__node');
    if (marks.nodes === undefined && nodes.length >= want.nodes) marks.nodes = now;
    if (marks.nodes !== undefined && !painted && [...nodes].every((n) => n.style.visibility !== 'hidden')) {
      painted = true;
      // The frame that paints them: its animation-frame callback runs just before.
      requestAnimationFrame(() => {
        marks.visible = performance.now();
        finish();
      });
    }
    if (want.broker && marks.ready === undefined && (document.querySelector('[role="status"]')?.textContent ?? '').includes('Broker running in a Web Worker')) {
      marks.ready = now;
    }
    finish();
  };
  const finish = () => {
    if (marks.done || marks.visible === undefined || (want.broker && marks.ready === undefined)) return;
    marks.done = true;
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });
}

interface FirstRender {
  nodes: number;
  visible: number;
  ready: number;
  fcp: number;
}

async function firstRender(browser: Browser, url: string, want: { nodes: number; broker: boolean }): Promise<FirstRender> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(watchFirstRender, want);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __firstRender?: { done: boolean } }).__firstRender?.done === true, null, {
      timeout: 30_000,
    });
    return await page.evaluate(() => {
      const marks = (window as unknown as { __firstRender: { nodes: number; visible: number; ready?: number } }).__firstRender;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      return { nodes: marks.nodes, visible: marks.visible, ready: marks.ready ?? Number.NaN, fcp };
    });
  } finally {
    await context.close();
  }
}

interface FrameRun {
  intervals: number[];
  /** Samples taken every 100 ms during the measured window (fewer when the page is blocked). */
  inFlight: number[];
  drawn: number[];
  marks: number[];
  published: number;
  /** Main-thread time during the window, ms, from Chromium's Performance.getMetrics. */
  busy: { task: number; script: number; style: number; layout: number; window: number };
}

type PageWindow = Window & {
  __bench?: { publisher?: ReturnType<typeof setInterval>; sampler?: ReturnType<typeof setInterval>; samples: { drawn: number[]; flying: number[]; marks: number[] } };
};

/**
 * A warm-up, then the intervals between animation frames over the measured window. Meanwhile
 * `publishEveryMs` > 0 clicks every producer's Publish button that often (the playground), and
 * the dots on screen are sampled: elements drawn, messages they stand for (a grouped dot counts
 * its messages), marks showing.
 */
/** Self time per function of a CDP CPU profile, the heaviest first. */
function topSelfTime(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }, count = 25): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    const file = frame.url.split('/').pop() || '(native)';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    const ms = (deltas[i] ?? 0) / 1000;
    total += ms;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}`);
}

async function measureFrames(page: Page, options: { warmupMs: number; measureMs: number; publishEveryMs: number; profile?: boolean }): Promise<FrameRun> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  if (options.profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { task: get('TaskDuration'), script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration'), at: performance.now() };
  };

  await page.evaluate((publishEveryMs) => {
    const w = window as PageWindow;
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('.svelte-flow__node button.publish')];
    const publish = () => buttons.forEach((button) => button.click());
    w.__bench = { samples: { drawn: [], flying: [], marks: [] } };
    if (publishEveryMs > 0) {
      publish();
      w.__bench.publisher = setInterval(publish, publishEveryMs);
    }
  }, options.publishEveryMs);
  await page.waitForTimeout(options.warmupMs);

  const before = await metrics();
  if (options.profile) await cdp.send('Profiler.start');
  const intervals = await page.evaluate(async (measureMs) => {
    const bench = (window as PageWindow).__bench!;
    bench.sampler = setInterval(() => {
      const dots = document.querySelectorAll<HTMLElement>('[data-testid="message-dot"], .bench-dot');
      let flying = 0;
      dots.forEach((dot) => (flying += Number(dot.dataset.count ?? 1)));
      bench.samples.drawn.push(dots.length);
      bench.samples.flying.push(flying);
      bench.samples.marks.push(document.querySelectorAll('[data-testid="message-mark"]').length);
    }, 100);
    const intervals: number[] = [];
    await new Promise<void>((resolve) => {
      let last = -1;
      let end = Number.POSITIVE_INFINITY;
      const frame = (time: number) => {
        if (last < 0) end = time + measureMs;
        else intervals.push(time - last);
        last = time;
        if (time < end) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    clearInterval(bench.sampler);
    return intervals;
  }, options.measureMs);
  const after = await metrics();
  if (options.profile) {
    const { profile } = await cdp.send('Profiler.stop');
    log('  CPU profile of the playground, self time (BENCH_UI_PROFILE, unminified build):');
    for (const line of topSelfTime(profile)) log(line);
  }

  const rest = await page.evaluate(() => {
    const bench = (window as PageWindow).__bench!;
    clearInterval(bench.publisher);
    let published = 0;
    document.querySelectorAll('[data-testid="published"]').forEach((el) => (published += Number(el.textContent ?? 0)));
    return { ...bench.samples, published };
  });
  await cdp.detach();
  return {
    intervals,
    inFlight: rest.flying,
    drawn: rest.drawn,
    marks: rest.marks,
    published: rest.published,
    busy: {
      task: after.task - before.task,
      script: after.script - before.script,
      style: after.style - before.style,
      layout: after.layout - before.layout,
      window: after.at - before.at,
    },
  };
}

async function openPage(browser: Browser, url: string, want: { nodes: number; broker: boolean }): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForFunction(
    ({ nodes, broker }) =>
      document.querySelectorAll('.svelte-flow__node').length >= nodes &&
      (!broker || (document.querySelector('[role="status"]')?.textContent ?? '').includes('Broker running in a Web Worker')),
    want,
    { timeout: 30_000 },
  );
  return { page, close: () => context.close(), errors };
}

function frameLine(label: string, intervals: readonly number[]): string {
  return `  ${label.padEnd(11)} frames ${String(intervals.length).padStart(4)}  p50 ${ms(median(intervals)).padStart(9)}  p95 ${ms(percentile(intervals, 95)).padStart(9)}  max ${ms(Math.max(...intervals)).padStart(9)}`;
}

function range(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  return `median ${median(values)}, min ${Math.min(...values)}, max ${Math.max(...values)}`;
}

// ---- the run -----------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const outDir = mkdtempSync(join(tmpdir(), 'routing-playground-bench-ui-'));
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    browser = undefined;
    await server?.close().catch(() => {});
    server = undefined;
    rmSync(outDir, { recursive: true, force: true });
  };
  const deadline = setTimeout(() => {
    console.error(`bench:ui did not finish within ${DEADLINE_MS / 1000} s`);
    process.exitCode = 1;
    void cleanup().finally(() => process.exit(1));
  }, DEADLINE_MS);
  deadline.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  try {
    // 1. Sizes first: the build must not share the CPU with the browser.
    const sizes = await sizeReportLines();
    for (const line of sizes.lines) log(line);

    log('\nBuilding the benchmark pages (production mode)…');
    await build(benchViteConfig(outDir));
    const port = await freePort(4300);
    server = await preview({ ...benchViteConfig(outDir), preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
    const base = `http://127.0.0.1:${port}/`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], headless: true });
    log(`Chromium ${browser.version()} (${chromiumPath}, headless, no GPU), viewport ${VIEWPORT.width}×${VIEWPORT.height}, pages at ${base}`);

    // 2. First render, 20 nodes: fresh browser context per load (cold HTTP cache).
    log(`\nFirst render, ${SMALL} nodes, from navigation start (median of ${FIRST_RENDER_RUNS} cold loads; worst in brackets), budget ${FIRST_RENDER_BUDGET_MS} ms`);
    const appRuns: FirstRender[] = [];
    const bareRuns: FirstRender[] = [];
    // One untimed load of each first: Chromium's own start-up work is not the page's.
    await firstRender(browser, `${base}playground.html?nodes=${SMALL}`, { nodes: SMALL, broker: true });
    await firstRender(browser, `${base}bare.html?nodes=${SMALL}`, { nodes: SMALL, broker: false });
    for (let i = 0; i < FIRST_RENDER_RUNS; i++) {
      appRuns.push(await firstRender(browser, `${base}playground.html?nodes=${SMALL}`, { nodes: SMALL, broker: true }));
      bareRuns.push(await firstRender(browser, `${base}bare.html?nodes=${SMALL}`, { nodes: SMALL, broker: false }));
    }
    const firstLine = (label: string, all: number[], budget: boolean) => {
      const values = all.filter(Number.isFinite);
      const worst = values.length > 0 ? Math.max(...values) : Number.NaN;
      return `  ${label.padEnd(51)} ${ms(median(values)).padStart(9)}  [${ms(worst)}]${budget ? `  ${verdict(median(values), FIRST_RENDER_BUDGET_MS)}` : ''}`;
    };
    log(firstLine('playground: 20 nodes in the DOM', appRuns.map((r) => r.nodes), true));
    log(firstLine('playground: nodes visible (their first frame)', appRuns.map((r) => r.visible), false));
    log(firstLine("playground: 'Broker running in a Web Worker'", appRuns.map((r) => r.ready), true));
    log(firstLine('playground: first contentful paint', appRuns.map((r) => r.fcp), false));
    log(firstLine('bare Svelte Flow: 20 nodes in the DOM', bareRuns.map((r) => r.nodes), false));
    log(firstLine('bare Svelte Flow: nodes visible (their first frame)', bareRuns.map((r) => r.visible), false));

    // 3. Frames, 300 nodes, messages in flight.
    log(
      `\nFrames, ${BIG} nodes: ${FRAME_ROUNDS} rounds per page, each ${WARMUP_MS} ms warm-up then ${MEASURE_MS} ms measured (intervals between animation frames)`,
    );
    const bare: FrameRun[] = [];
    const app: FrameRun[] = [];
    const errors: string[] = [];
    for (let round = 0; round < FRAME_ROUNDS; round++) {
      {
        const opened = await openPage(browser, `${base}bare.html?nodes=${BIG}&dots=${DOTS}`, { nodes: BIG, broker: false });
        bare.push(await measureFrames(opened.page, { warmupMs: WARMUP_MS, measureMs: MEASURE_MS, publishEveryMs: 0 }));
        errors.push(...opened.errors.map((e) => `bare: ${e}`));
        await opened.close();
      }
      {
        const opened = await openPage(browser, `${base}playground.html?nodes=${BIG}`, { nodes: BIG, broker: true });
        // Play the clock, so consumers work and ack while messages arrive.
        await opened.page.getByRole('button', { name: 'Play', exact: true }).click();
        const profile = round === 0 && !!process.env.BENCH_UI_PROFILE;
        app.push(await measureFrames(opened.page, { warmupMs: WARMUP_MS, measureMs: MEASURE_MS, publishEveryMs: PUBLISH_EVERY_MS, profile }));
        errors.push(...opened.errors.map((e) => `playground: ${e}`));
        await opened.close();
      }
    }
    const pool = (runs: readonly FrameRun[], key: 'intervals' | 'inFlight' | 'drawn' | 'marks') => runs.flatMap((run) => run[key]);
    const bareIntervals = pool(bare, 'intervals');
    const appIntervals = pool(app, 'intervals');
    log(frameLine('bare', bareIntervals));
    log(frameLine('playground', appIntervals));
    const p95App = percentile(appIntervals, 95);
    const p95Bare = percentile(bareIntervals, 95);
    log(`  ratio p95 playground / bare: ${(p95App / p95Bare).toFixed(2)}×  (p50: ${(median(appIntervals) / median(bareIntervals)).toFixed(2)}×)`);
    log(`  playground p95 ${ms(p95App)} against ${FRAME_P95_BUDGET_MS} ms: ${verdict(p95App, FRAME_P95_BUDGET_MS)}`);
    log(`  bare: ${DOTS} SVG circles moved every frame; circles drawn ${range(pool(bare, 'drawn'))}`);
    log(
      `  playground: every producer's Publish clicked every ${PUBLISH_EVERY_MS} ms (${benchCounts(BIG).producers} producers × burst 50), clock playing; ` +
        `${app.map((r) => r.published).join(' and ')} messages published by the end of each round`,
    );
    log(`  playground, sampled every 100 ms (less often while the page is blocked): message hops in flight (dots, a grouped dot counted by its number) ${range(pool(app, 'inFlight'))}`);
    log(`  playground: dot elements drawn ${range(pool(app, 'drawn'))} (above 50 in flight, the layer groups dots sharing a path into one counted dot)`);
    log(`  playground: marks showing ${range(pool(app, 'marks'))}`);
    const busy = (runs: readonly FrameRun[]) => {
      const total = (key: keyof FrameRun['busy']) => runs.reduce((sum, run) => sum + run.busy[key], 0);
      const share = (key: keyof FrameRun['busy']) => `${((100 * total(key)) / total('window')).toFixed(0)}%`;
      const other = total('task') - total('script') - total('style') - total('layout');
      return `main thread busy ${share('task')} of the window: script ${share('script')}, style ${share('style')}, layout ${share('layout')}, other (paint, GC, tasks) ${((100 * other) / total('window')).toFixed(0)}%`;
    };
    log(`  bare: ${busy(bare)}`);
    log(`  playground: ${busy(app)}`);
    if (errors.length > 0) {
      log(`  page errors (${errors.length}):`);
      for (const error of [...new Set(errors)].slice(0, 10)) log(`    ${error}`);
    }
    log('\nHeadless Chromium without a GPU rasterises on the CPU: absolute frame times run higher than on a desktop; the ratio to the bare page is the comparable figure.');
    log(`bench:ui done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
