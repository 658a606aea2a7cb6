/**
 * A tiny benchmark harness: interleaved timing rounds of our code and a reference on the same
 * workload, medians, ratios, a seeded PRNG and a table printer. Node only (performance.now).
 */

/** One workload's result: matches (or other operations) per second, ours against the reference. */
export interface BenchRow {
  name: string;
  ours_ops_per_s: number;
  ref_ops_per_s: number;
  /** ours / ref: above 1 means ours is faster. */
  ratio: number;
  /** Both gave the same answer on every input of the workload. */
  identical: boolean;
}

/** How long and how often to time. */
export interface TimingOptions {
  /** Untimed rounds first, so both sides are optimised before measuring. */
  warmupRounds: number;
  /** Timed rounds; the median is reported. */
  rounds: number;
  /** A round repeats the workload until it lasts at least this long. */
  minRoundMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmupRounds: 3, rounds: 9, minRoundMs: 150 };

/** Written by every timed pass so the engine cannot drop the work as dead code. */
export let benchSink = 0;

function timePass(pass: () => number, repeats: number): number {
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < repeats; i++) sink += pass();
  const elapsed = performance.now() - start;
  benchSink += sink;
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * How many passes make a round last about `minRoundMs` for the slower of the two sides, and how
 * long one pass of that side takes.
 */
function calibrate(passes: (() => number)[], minRoundMs: number): { repeats: number; passMs: number } {
  let repeats = 1;
  for (;;) {
    const slowest = Math.max(...passes.map((pass) => timePass(pass, repeats)));
    if (slowest >= minRoundMs / 4) {
      return { repeats: Math.max(1, Math.ceil((repeats * minRoundMs) / Math.max(slowest, 1e-3))), passMs: slowest / repeats };
    }
    repeats *= 4;
  }
}

/**
 * Times `ours` and `ref` (each one pass over the workload, `opsPerPass` operations, returning any
 * number) in alternating order round by round; returns the median operations per second of each.
 * Workloads whose single pass outlasts four rounds get one warm-up and five rounds.
 */
export function compareThroughput(
  ours: () => number,
  ref: () => number,
  opsPerPass: number,
  options: TimingOptions = DEFAULT_TIMING,
): { ours: number; ref: number } {
  const { repeats, passMs } = calibrate([ours, ref], options.minRoundMs);
  const long = passMs > 4 * options.minRoundMs;
  const warmupRounds = long ? Math.min(1, options.warmupRounds) : options.warmupRounds;
  const rounds = long ? Math.min(5, options.rounds) : options.rounds;
  for (let i = 0; i < warmupRounds; i++) {
    timePass(ours, repeats);
    timePass(ref, repeats);
  }
  const oursRates: number[] = [];
  const refRates: number[] = [];
  const rate = (ms: number) => (opsPerPass * repeats * 1000) / ms;
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      oursRates.push(rate(timePass(ours, repeats)));
      refRates.push(rate(timePass(ref, repeats)));
    } else {
      refRates.push(rate(timePass(ref, repeats)));
      oursRates.push(rate(timePass(ours, repeats)));
    }
  }
  return { ours: median(oursRates), ref: median(refRates) };
}

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prints rows as an aligned table. */
export function printTable(rows: readonly BenchRow[]): void {
  const format = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    ['workload', 'ours ops/s', 'ref ops/s', 'ratio', 'identical'],
    ...rows.map((row) => [
      row.name,
      format(row.ours_ops_per_s),
      format(row.ref_ops_per_s),
      `${row.ratio.toFixed(2)}x`,
      String(row.identical),
    ]),
  ];
  const widths = lines[0]!.map((_, col) => Math.max(...lines.map((line) => line[col]!.length)));
  for (const line of lines) {
    console.log(line.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
  }
}
