/**
 * The console command's work, in a chunk of its own (like analyze.ts): the command-line tools
 * load on the first line typed, not with the worker. What a line changed in vhost '/' (queues,
 * exchanges and bindings declared or deleted) is reported by name, from the broker's snapshots
 * before and after, so the page can bring the diagram in line through its gateway.
 */

import type { BrokerSnapshot } from '../broker/index';
import { complete, type Completion } from '../broker/tools/complete';
import { consoleHost, runConsole, type ConsoleCore } from '../broker/tools/console';
import type { ConsoleChanges, ConsoleResult } from './protocol';

/** The console's files (export_definitions FILE), for as long as the worker lives. */
const files = new Map<string, string>();
const MAX_FILES = 20;

export async function runConsoleLine(core: ConsoleCore, line: string): Promise<ConsoleResult> {
  const before = core.inspect();
  const result = await runConsole(consoleHost(core, { date: () => new Date().toUTCString(), files }), line);
  while (files.size > MAX_FILES) files.delete(files.keys().next().value!);
  const changes = changesBetween(before, core.inspect());
  return changes ? { ...result, changes } : result;
}

/** What differs in vhost '/' between two snapshots; null when nothing does. */
export function changesBetween(before: BrokerSnapshot, after: BrokerSnapshot): ConsoleChanges | null {
  const inRoot = <T extends { vhost: string }>(rows: T[]) => rows.filter((r) => r.vhost === '/');
  const keyed = <T>(rows: T[], key: (row: T) => string) => new Map(rows.map((r) => [key(r), r]));
  const queueKey = (q: { name: string }) => q.name;
  // The default exchange's bindings are implicit: they come and go with their queues.
  const bindingKey = (b: BrokerSnapshot['bindings'][number]) => JSON.stringify([b.source_name, b.destination_kind, b.destination_name, b.routing_key, b.arguments]);
  const [qa, qb] = [keyed(inRoot(before.queues), queueKey), keyed(inRoot(after.queues), queueKey)];
  const [xa, xb] = [keyed(inRoot(before.exchanges), queueKey), keyed(inRoot(after.exchanges), queueKey)];
  const explicit = (s: BrokerSnapshot) => inRoot(s.bindings).filter((b) => b.source_name !== '');
  const [ba, bb] = [keyed(explicit(before), bindingKey), keyed(explicit(after), bindingKey)];
  const added = <T>(from: Map<string, T>, to: Map<string, T>) => [...to].filter(([k]) => !from.has(k)).map(([, v]) => v);
  const binding = (b: BrokerSnapshot['bindings'][number]) => ({ source: b.source_name, destinationKind: b.destination_kind, destination: b.destination_name, routingKey: b.routing_key, arguments: b.arguments });
  const changes: ConsoleChanges = {
    declared: {
      exchanges: added(xa, xb).map((x) => ({ name: x.name, type: x.type, durable: x.durable, autoDelete: x.auto_delete, internal: x.internal, arguments: x.arguments })),
      queues: added(qa, qb).map((q) => ({ name: q.name, durable: q.durable, exclusive: q.exclusive, autoDelete: q.auto_delete, arguments: q.arguments })),
      bindings: added(ba, bb).map(binding),
    },
    deleted: {
      exchanges: added(xb, xa).map((x) => x.name),
      queues: added(qb, qa).map((q) => q.name),
      bindings: added(bb, ba).map(binding),
    },
  };
  const empty = Object.values(changes.declared).every((l) => l.length === 0) && Object.values(changes.deleted).every((l) => l.length === 0);
  return empty ? null : changes;
}

/** Tab: the line's last word completed from the console's words and the broker's names. */
export function completeLine(core: Pick<ConsoleCore, 'inspect'>, line: string): Completion {
  return complete(line, core.inspect());
}
