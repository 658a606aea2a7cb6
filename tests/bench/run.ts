/**
 * `npm run bench`: every core benchmark, each measured as a ratio against a reference timed in
 * the same run on the same workload (qlobber for topic matching; qlobber plus an array push for
 * publish → route → enqueue; plain-JS queues, arrays and a sort for the queue benchmarks, whose
 * memory part runs in a child process started with --expose-gc).
 */

import { runPublishBench } from './publish.bench';
import { printNotes, runQueueBench } from './queue.bench';
import { runTopicBench } from './topic.bench';
import { printTable, type BenchRow } from './lib';

const log = (line: string) => console.log(line);
const rows: (BenchRow & { note?: string })[] = [];

// Publish first: the topic workloads leave a large heap behind, which slows the collector.
console.log('Publish through channel.publish, 1,000 topic bindings');
rows.push(...(await runPublishBench(log)));
console.log('\nQueues: memory per queued message, publish+deliver+ack, expiry');
rows.push(...(await runQueueBench(log)));
console.log('\nTopic matching: TopicTrie vs QlobberDedup');
rows.push(...(await runTopicBench({ log })));

console.log('');
printTable(rows);
printNotes(rows);
const wrong = rows.filter((row) => !row.identical);
if (wrong.length > 0) {
  console.error(`results differ from the reference in: ${wrong.map((row) => row.name).join(', ')}`);
  process.exitCode = 1;
}
