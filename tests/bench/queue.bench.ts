/**
 * Queue benchmarks through the public API, each against a plain-JS reference timed in the same
 * run on the same workload:
 *
 *  1. memory: 1,000,000 messages of 16 bytes (a body made per message) queued in one classic
 *     queue by `channel.sendToQueue`; heap bytes per message after a full GC. Reference: the same
 *     bodies in a plain array of `{ body, routingKey }`, the least a JS broker must hold.
 *     Measured in a child process started with `--expose-gc` (so `npm run bench` needs no flags)
 *     and fresh from other benchmarks' garbage; the child prints JSON.
 *  2. publish → deliver → ack: one consumer, prefetch 100, manual ack in the callback, 16-byte
 *     bodies. A pass publishes N messages and awaits the callback's N-th ack. Reference: a minimal
 *     in-process queue (array + head index), prefetch counter, deliveries posted to an inbox that
 *     a microtask drains (as our Wire does), a callback per message, ack = counter decrement that
 *     hands the next message over.
 *  3. expiry: 100,000 messages with per-message TTLs of 1..10,000 ms in one queue, then one
 *     `broker.advance(10_001)` that expires them all, timed alone; TTLs in random publish order
 *     and in increasing order. Reference: `Array.prototype.sort` of the 100,000 TTLs in random
 *     order (for both rows); the log adds a plain-JS head walk over `{ body, expiresAt }` records.
 *
 *   npx tsx tests/bench/queue.bench.ts
 *   node --expose-gc --import tsx tests/bench/queue.bench.ts --memory-child   # memory only, JSON
 *   npx esbuild --bundle --platform=node --format=esm tests/bench/queue.bench.ts \
 *     --outfile=/tmp/queue.bench.mjs && node /tmp/queue.bench.mjs            # as shipped code runs
 *
 * tsx compiles with esbuild's keepNames, which wraps every named closure in `__name(fn, "…")`
 * (an Object.defineProperty per closure made); code that makes a named closure per message runs
 * measurably slower under `npm run bench` than bundled (the expiry path: about 3x).
 */

import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBroker } from '../../src/broker/index';
import type { AmqplibMessage } from '../../src/broker/index';
import { DEFAULT_TIMING, printTable, seededRandom, type BenchRow, type TimingOptions } from './lib';

/** A BenchRow with the absolute figure in its own unit (bytes/message, ms). */
export interface QueueBenchRow extends BenchRow {
  note: string;
}

const MEMORY_MESSAGES = 1_000_000;
const BODY_BYTES = 16;
const PREFETCH = 100;
const THROUGHPUT_MESSAGES = 20_000;
const EXPIRY_MESSAGES = 100_000;
const MAX_TTL = 10_000;
const CHILD_FLAG = '--memory-child';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---- 1. memory ----------------------------------------------------------------------------

export interface MemoryResult {
  messages: number;
  /** heapUsed delta / messages for 1M bodies alone in an array (what both sides must hold). */
  bodyOnlyBytesPerMessage: number;
  refBytesPerMessage: number;
  oursBytesPerMessage: number;
  /** `broker.inspect()` after the publishes: the queue's messages_ready. */
  messagesReady: number;
  refLength: number;
  /** external (ArrayBuffer backing stores: the bodies' pooled bytes) delta per message, ours. */
  oursExternalBytesPerMessage: number;
  publishMs: number;
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Twice: the first pass may leave weak or finalizable garbage for the second.
  gc();
  gc();
}

function heapUsed(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/**
 * Message i's body, made per message: 16 bytes of text, as `Buffer.from('…')` in a client
 * (Node takes such small Buffers from its 8 KB pool, as amqplib's clients do).
 */
function memoryBody(i: number): Buffer {
  return Buffer.from(`msg-${String(i).padStart(12, '0')}`);
}

/** Heap bytes per queued message: ours, the `{ body, routingKey }` array, bodies alone. Needs gc. */
export async function measureMemory(messages = MEMORY_MESSAGES): Promise<MemoryResult> {
  if (memoryBody(0).length !== BODY_BYTES) throw new Error('bodies must be 16 bytes');
  // Bodies alone: what any side holds before adding its own bookkeeping.
  let base = heapUsed();
  let bodies: Buffer[] | undefined = [];
  for (let i = 0; i < messages; i++) bodies.push(memoryBody(i));
  const bodyOnly = (heapUsed() - base) / messages;
  // Use the array after the GC: an optimised frame may treat a variable it no longer reads as
  // dead and let the collector free what it holds before the measurement.
  if (bodies.length !== messages) throw new Error('lost bodies');
  bodies = undefined;

  // Reference: the same bodies, each in a { body, routingKey } object, in a plain array.
  base = heapUsed();
  let ref: { body: Buffer; routingKey: string }[] | undefined = [];
  const key = 'mem';
  for (let i = 0; i < messages; i++) ref.push({ body: memoryBody(i), routingKey: key });
  const refBytes = (heapUsed() - base) / messages;
  const refLength = ref.length; // read after the GC, so it stays live through it
  ref = undefined;

  // Ours: one classic queue (durable, as amqplib declares by default), sendToQueue per message.
  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertQueue(key);
  for (let i = 0; i < 1000; i++) ch.sendToQueue(key, memoryBody(i)); // warm the publish path
  await ch.purgeQueue(key);
  await new Promise((resolve) => setImmediate(resolve));
  base = heapUsed();
  const externalBase = process.memoryUsage().external;
  const started = performance.now();
  for (let i = 0; i < messages; i++) ch.sendToQueue(key, memoryBody(i));
  const publishMs = performance.now() - started;
  await new Promise((resolve) => setImmediate(resolve)); // nothing is posted, but let the wire run
  const ours = (heapUsed() - base) / messages;
  const external = (process.memoryUsage().external - externalBase) / messages;
  const info = broker.inspect().queues.find((q) => q.name === key);
  const messagesReady = info?.messages_ready ?? -1;
  await conn.close();
  return {
    messages,
    bodyOnlyBytesPerMessage: bodyOnly,
    refBytesPerMessage: refBytes,
    oursBytesPerMessage: ours,
    messagesReady,
    refLength,
    oursExternalBytesPerMessage: external,
    publishMs,
  };
}

/** Runs `measureMemory` in a child process with --expose-gc; returns its JSON. */
function measureMemoryInChild(): MemoryResult {
  const self = fileURLToPath(import.meta.url);
  const args = self.endsWith('.ts') ? ['--expose-gc', '--import', 'tsx', self, CHILD_FLAG] : ['--expose-gc', self, CHILD_FLAG];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.trim().split('\n').pop()!;
  return JSON.parse(line) as MemoryResult;
}

function memoryRow(m: MemoryResult): QueueBenchRow {
  // As a rate, higher is better like the other rows: messages held per MB of heap.
  const perMb = (bytes: number) => 1e6 / bytes;
  return {
    name: `memory: 1M x 16 B queued via sendToQueue (messages per MB of heap)`,
    ours_ops_per_s: perMb(m.oursBytesPerMessage),
    ref_ops_per_s: perMb(m.refBytesPerMessage),
    ratio: m.refBytesPerMessage / m.oursBytesPerMessage,
    identical: m.messagesReady === m.messages && m.refLength === m.messages,
    note:
      `ours ${fmt(m.oursBytesPerMessage, 1)} B/msg, ref ${fmt(m.refBytesPerMessage, 1)} B/msg ` +
      `(body alone ${fmt(m.bodyOnlyBytesPerMessage, 1)}; ours beyond the body ${fmt(m.oursBytesPerMessage - m.bodyOnlyBytesPerMessage, 1)}, ` +
      `ref ${fmt(m.refBytesPerMessage - m.bodyOnlyBytesPerMessage, 1)}); messages_ready ${fmt(m.messagesReady)}; goal <= 200 B/msg`,
  };
}

// ---- 2. publish → deliver → ack -------------------------------------------------------------

/** Written by every timed async pass so the engine cannot drop the work as dead code. */
export let asyncBenchSink = 0;

/** Like lib.ts's compareThroughput, for passes that must be awaited (deliveries are microtasks). */
async function compareThroughputAsync(
  ours: () => Promise<number>,
  ref: () => Promise<number>,
  opsPerPass: number,
  options: TimingOptions = DEFAULT_TIMING,
): Promise<{ ours: number; ref: number }> {
  const timePass = async (pass: () => Promise<number>, repeats: number) => {
    const start = performance.now();
    let sink = 0;
    for (let i = 0; i < repeats; i++) sink += await pass();
    const elapsed = performance.now() - start;
    asyncBenchSink += sink;
    return elapsed;
  };
  let repeats = 1;
  for (;;) {
    const slowest = Math.max(await timePass(ours, repeats), await timePass(ref, repeats));
    if (slowest >= options.minRoundMs / 4) {
      repeats = Math.max(1, Math.ceil((repeats * options.minRoundMs) / Math.max(slowest, 1e-3)));
      break;
    }
    repeats *= 4;
  }
  for (let i = 0; i < options.warmupRounds; i++) {
    await timePass(ours, repeats);
    await timePass(ref, repeats);
  }
  const rate = (ms: number) => (opsPerPass * repeats * 1000) / ms;
  const oursRates: number[] = [];
  const refRates: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) {
      oursRates.push(rate(await timePass(ours, repeats)));
      refRates.push(rate(await timePass(ref, repeats)));
    } else {
      refRates.push(rate(await timePass(ref, repeats)));
      oursRates.push(rate(await timePass(ours, repeats)));
    }
  }
  return { ours: median(oursRates), ref: median(refRates) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The reference: the least an in-process JS queue does for the same work. Ready messages in an
 * array with a head index; a prefetch counter; a delivery is an amqplib-shaped message object
 * posted to an inbox that one microtask drains (deliveries reach the callback a microtask later,
 * as ours do); ack decrements the counter and hands over the next ready message.
 */
class MiniQueue {
  #ready: ({ body: Buffer; routingKey: string } | undefined)[] = [];
  #head = 0;
  #unacked = 0;
  #tag = 0;
  #inbox: { content: Buffer; fields: { deliveryTag: number; routingKey: string } }[] = [];
  #scheduled = false;
  readonly #drain = () => {
    this.#scheduled = false;
    const inbox = this.#inbox;
    for (let i = 0; i < inbox.length; i++) this.callback(inbox[i]!);
    this.#inbox = [];
  };

  constructor(
    readonly prefetch: number,
    public callback: (msg: { content: Buffer; fields: { deliveryTag: number; routingKey: string } }) => void,
  ) {}

  publish(routingKey: string, body: Buffer): void {
    const m = { body, routingKey };
    if (this.#head === this.#ready.length && this.#unacked < this.prefetch) this.#deliver(m);
    else this.#ready.push(m);
  }

  ack(): void {
    this.#unacked--;
    while (this.#unacked < this.prefetch && this.#head < this.#ready.length) {
      const m = this.#ready[this.#head]!;
      this.#ready[this.#head++] = undefined;
      this.#deliver(m);
    }
    if (this.#head === this.#ready.length) {
      this.#ready = [];
      this.#head = 0;
    }
  }

  #deliver(m: { body: Buffer; routingKey: string }): void {
    this.#unacked++;
    this.#inbox.push({ content: m.body, fields: { deliveryTag: ++this.#tag, routingKey: m.routingKey } });
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    }
  }
}

async function runThroughput(log: (line: string) => void): Promise<QueueBenchRow> {
  const N = THROUGHPUT_MESSAGES;
  // 16 distinct 16-byte bodies; body i % 16 is filled with the byte i % 16, so the consumer can
  // check it sees every message once, in publish order.
  const bodies = Array.from({ length: 16 }, (_, i) => Buffer.alloc(BODY_BYTES, i));
  let oursInOrder = true;
  let refInOrder = true;

  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertQueue('work');
  await ch.prefetch(PREFETCH);
  let oursAcked = 0;
  let oursTarget = 0;
  let oursDone: () => void = () => {};
  await ch.consume(
    'work',
    (msg: AmqplibMessage | null) => {
      if (msg === null) return;
      if (msg.content[0] !== oursAcked % 16 || msg.content.length !== BODY_BYTES) oursInOrder = false;
      ch.ack(msg);
      if (++oursAcked === oursTarget) oursDone();
    },
    { noAck: false },
  );
  const ours = () => {
    oursAcked = 0;
    oursTarget = N;
    const done = new Promise<void>((resolve) => (oursDone = resolve));
    for (let i = 0; i < N; i++) ch.sendToQueue('work', bodies[i & 15]!);
    return done.then(() => oursAcked);
  };

  let refAcked = 0;
  let refTarget = 0;
  let refDone: () => void = () => {};
  const mini = new MiniQueue(PREFETCH, () => {});
  mini.callback = (msg) => {
    if (msg.content[0] !== refAcked % 16 || msg.content.length !== BODY_BYTES) refInOrder = false;
    mini.ack();
    if (++refAcked === refTarget) refDone();
  };
  const ref = () => {
    refAcked = 0;
    refTarget = N;
    const done = new Promise<void>((resolve) => (refDone = resolve));
    for (let i = 0; i < N; i++) mini.publish('work', bodies[i & 15]!);
    return done.then(() => refAcked);
  };

  const result = await compareThroughputAsync(ours, ref, N);
  const info = broker.inspect().queues.find((q) => q.name === 'work')!;
  const settled = info.messages_ready === 0 && info.messages_unacknowledged === 0;
  await conn.close();
  log(
    `publish+deliver+ack: ${fmt(result.ours)} messages/s, reference ${fmt(result.ref)} messages/s ` +
      `(passes of ${fmt(N)}; in order: ours ${oursInOrder}, ref ${refInOrder}; queue empty, nothing unacked: ${settled})`,
  );
  return {
    name: `publish+deliver+ack, 1 consumer, prefetch ${PREFETCH}, 16 B`,
    ours_ops_per_s: result.ours,
    ref_ops_per_s: result.ref,
    ratio: result.ours / result.ref,
    identical: oursInOrder && refInOrder && settled,
    note: `ours ${fmt(result.ours)} msg/s, ref ${fmt(result.ref)} msg/s; goal >= 500,000 msg/s`,
  };
}

// ---- 3. expiry ------------------------------------------------------------------------------

/** Every message's TTL: uniform integers in 1..10,000 (100,000 messages, so values repeat). */
function expiryTtls(seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: EXPIRY_MESSAGES }, () => 1 + Math.floor(random() * MAX_TTL));
}

/**
 * Ours: fill the queue (untimed), then time the one `advance` that expires everything. The row's
 * reference sorts the random-order TTLs in both rows (sorting the already increasing ones would
 * time a no-op). The log also gives a closer baseline: a plain array of `{ body, expiresAt }`
 * dropped from the head while expired, a callback per dropped message.
 */
async function runExpiry(order: 'random' | 'increasing', log: (line: string) => void): Promise<QueueBenchRow> {
  const randomTtls = expiryTtls(11);
  const ttls = order === 'increasing' ? randomTtls.slice().sort((a, b) => a - b) : randomTtls;
  const options = ttls.map((ttl) => ({ expiration: String(ttl) }));
  const body = Buffer.alloc(BODY_BYTES, 7);
  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertQueue('ttl');
  const ready = () => broker.inspect().queues.find((q) => q.name === 'ttl')!.messages_ready;

  let allEmptied = true;
  const oursOnce = (): number => {
    for (let i = 0; i < options.length; i++) ch.sendToQueue('ttl', body, options[i]);
    if (ready() !== EXPIRY_MESSAGES) throw new Error(`expected ${EXPIRY_MESSAGES} ready, got ${ready()}`);
    const start = performance.now();
    broker.advance(MAX_TTL + 1);
    const ms = performance.now() - start;
    if (ready() !== 0) allEmptied = false;
    return ms;
  };
  let sortedOk = true;
  const sortOnce = (): number => {
    const copy = randomTtls.slice();
    const start = performance.now();
    copy.sort((a, b) => a - b);
    const ms = performance.now() - start;
    for (let i = 1; i < copy.length; i++) if (copy[i - 1]! > copy[i]!) sortedOk = false;
    return ms;
  };
  let headDropped = 0;
  const headWalkOnce = (): number => {
    let now = 0;
    const q: ({ body: Buffer; expiresAt: number } | undefined)[] = [];
    for (let i = 0; i < ttls.length; i++) q.push({ body, expiresAt: now + ttls[i]! });
    const discard = (m: { body: Buffer; expiresAt: number }) => (headDropped += m.body.length > 0 ? 1 : 0);
    const start = performance.now();
    // The same head-only rule, one timer per new head, as one advance would run it.
    let head = 0;
    while (head < q.length) {
      now = q[head]!.expiresAt;
      while (head < q.length && q[head]!.expiresAt <= now) {
        discard(q[head]!);
        q[head++] = undefined;
      }
    }
    return performance.now() - start;
  };

  const warmup = 2;
  const rounds = 7;
  const cold = oursOnce(); // the first advance in this queue: the goal is about one advance
  sortOnce();
  headWalkOnce();
  for (let i = 1; i < warmup; i++) {
    oursOnce();
    sortOnce();
    headWalkOnce();
  }
  const oursMs: number[] = [];
  const refMs: number[] = [];
  const walkMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      oursMs.push(oursOnce());
      refMs.push(sortOnce());
      walkMs.push(headWalkOnce());
    } else {
      walkMs.push(headWalkOnce());
      refMs.push(sortOnce());
      oursMs.push(oursOnce());
    }
  }
  const ours = median(oursMs);
  const ref = median(refMs);
  const walk = median(walkMs);
  await conn.close();
  log(
    `expiry (${order} TTLs): advance(${MAX_TTL + 1}) expires ${fmt(EXPIRY_MESSAGES)} in ${fmt(ours, 2)} ms median ` +
      `(cold ${fmt(cold, 1)} ms; rounds ${oursMs.map((ms) => fmt(ms, 1)).join(', ')}); sort of ${fmt(EXPIRY_MESSAGES)} random TTLs ${fmt(ref, 2)} ms; ` +
      `plain-JS head walk ${fmt(walk, 2)} ms (${fmt(ours / walk, 1)}x); queue empty after every advance: ${allEmptied}`,
  );
  return {
    name: `expiry: 100k per-message TTLs (${order} order), one advance`,
    ours_ops_per_s: (EXPIRY_MESSAGES * 1000) / ours,
    ref_ops_per_s: (EXPIRY_MESSAGES * 1000) / ref,
    ratio: ref / ours,
    identical: allEmptied && sortedOk && headDropped === EXPIRY_MESSAGES * (warmup + rounds),
    note:
      `advance ${fmt(ours, 2)} ms (cold ${fmt(cold, 1)}, worst ${fmt(Math.max(...oursMs), 1)}) vs sort ${fmt(ref, 2)} ms ` +
      `(${fmt(ours / ref, 2)}x the sort; ${fmt(ours / walk, 1)}x a plain head walk of ${fmt(walk, 2)} ms); goal < 100 ms`,
  };
}

// ---- all ------------------------------------------------------------------------------------

export async function runQueueBench(log: (line: string) => void = () => {}): Promise<QueueBenchRow[]> {
  const rows: QueueBenchRow[] = [];
  const m = measureMemoryInChild();
  log(
    `memory: ${fmt(m.messages)} messages queued in ${fmt(m.publishMs)} ms; heap per message: ours ${fmt(m.oursBytesPerMessage, 1)} B, ` +
      `ref ${fmt(m.refBytesPerMessage, 1)} B, body alone ${fmt(m.bodyOnlyBytesPerMessage, 1)} B; ` +
      `off-heap (pooled body bytes) ${fmt(m.oursExternalBytesPerMessage, 1)} B; messages_ready ${fmt(m.messagesReady)}`,
  );
  rows.push(memoryRow(m));
  rows.push(await runThroughput(log));
  rows.push(await runExpiry('random', log));
  rows.push(await runExpiry('increasing', log));
  return rows;
}

/** Prints each row's note under the table (its absolute figure). */
export function printNotes(rows: readonly (BenchRow & { note?: string })[]): void {
  for (const row of rows) if (row.note) console.log(`  ${row.name}: ${row.note}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes(CHILD_FLAG)) {
    console.log(JSON.stringify(await measureMemory()));
  } else {
    const rows = await runQueueBench(console.log);
    printTable(rows);
    printNotes(rows);
  }
}
