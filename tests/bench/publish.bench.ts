/**
 * publish → route → enqueue throughput through the public API (`channel.publish`), with 1,000
 * topic bindings on one exchange spread over 100 queues, tracing off and on. The reference, in
 * the same run, is the least any JS broker must do for the same work: QlobberDedup's match of
 * the key and a push of the message into each matched queue's array.
 *
 *   npx tsx tests/bench/publish.bench.ts
 */

import { Qlobber } from 'qlobber';
import { pathToFileURL } from 'node:url';
import { createBroker } from '../../src/broker/index';
import { compareThroughput, printTable, seededRandom, type BenchRow } from './lib';

const BINDINGS = 1_000;
const QUEUES = 100;
const KEYS = 10_000;
const WORDS = 'orders invoices users stock eu us asia big small new paid failed created shipped audit log info warn error debug'.split(' ');

function workload(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const patterns: string[] = [];
  for (let i = 0; i < BINDINGS; i++) {
    // Three-word keys as most systems use them (orders.eu.created); 70% of patterns literal,
    // 20% with one '*', 10% with one '#'.
    const words = [pick(WORDS), pick(WORDS), pick(WORDS)];
    const r = random();
    if (r < 0.3) words[Math.floor(random() * 3)] = r < 0.2 ? '*' : '#';
    patterns.push(words.join('.'));
  }
  // Each key is made from a binding's pattern (wildcards filled in), so it matches at least one.
  const keys = Array.from({ length: KEYS }, () =>
    pick(patterns)
      .split('.')
      .map((w) => (w === '*' || w === '#' ? pick(WORDS) : w))
      .join('.'),
  );
  return { patterns, keys };
}

export async function runPublishBench(log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const { patterns, keys } = workload(7);
  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertExchange('x', 'topic', { durable: false });
  for (let q = 0; q < QUEUES; q++) await ch.assertQueue(`q${q}`, { durable: false, exclusive: true });
  for (const [i, pattern] of patterns.entries()) await ch.bindQueue(`q${i % QUEUES}`, 'x', pattern);
  const queues = [...broker.vhost('/').queues.values()];
  const body = Buffer.from('0123456789abcdef');

  let enqueued = 0;
  const ours = () => {
    for (const key of keys) ch.publish('x', key, body);
    let n = 0;
    for (const q of queues) n += q.ready.clear();
    enqueued = n;
    return n;
  };

  const matcher = new Qlobber({ separator: '.', wildcard_one: '*', wildcard_some: '#', match_empty_levels: true });
  for (const [i, pattern] of patterns.entries()) matcher.add(pattern, i % QUEUES);
  const refQueues: unknown[][] = Array.from({ length: QUEUES }, () => []);
  let refEnqueued = 0;
  const ref = () => {
    let n = 0;
    for (const key of keys) {
      const message = { key, body };
      for (const q of new Set(matcher.match(key) as number[])) {
        refQueues[q]!.push(message);
        n++;
      }
    }
    for (const q of refQueues) q.length = 0;
    refEnqueued = n;
    return n;
  };

  const off = compareThroughput(ours, ref, KEYS);
  const rows: BenchRow[] = [
    { name: `publish+route+enqueue, ${BINDINGS} topic bindings, tracing off`, ours_ops_per_s: off.ours, ref_ops_per_s: off.ref, ratio: off.ours / off.ref, identical: enqueued === refEnqueued },
  ];
  log(`tracing off: ${Math.round(off.ours).toLocaleString('en-US')} messages/s (${enqueued} queue copies per ${KEYS} publishes)`);

  let events = 0;
  const stop = broker.observe(() => events++);
  const on = compareThroughput(ours, ref, KEYS, { warmupRounds: 1, rounds: 3, minRoundMs: 150 });
  stop();
  rows.push({ name: `publish+route+enqueue, ${BINDINGS} topic bindings, tracing on`, ours_ops_per_s: on.ours, ref_ops_per_s: on.ref, ratio: on.ours / on.ref, identical: enqueued === refEnqueued && events > 0 });
  log(`tracing on: ${Math.round(on.ours).toLocaleString('en-US')} messages/s (every binding explained per publish)`);
  await conn.close();
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runPublishBench(console.log);
  printTable(rows);
}
