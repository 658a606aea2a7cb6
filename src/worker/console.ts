/**
 * The console command's work, in a chunk of its own (like analyze.ts): the command-line tools
 * load on the first line typed, not with the worker. What a line deleted is reported by name,
 * so the page can take it off the diagram (the document changes only through its gateway).
 */

import { consoleHost, runConsole, type ConsoleCore } from '../broker/tools/console';
import type { ConsoleResult } from './protocol';

export async function runConsoleLine(core: ConsoleCore, line: string): Promise<ConsoleResult> {
  const queues: string[] = [];
  const exchangesOf = () => new Set(core.inspect().exchanges.filter((x) => x.vhost === '/').map((x) => x.name));
  const before = exchangesOf();
  // The diagram shows vhost '/' only.
  const host = consoleHost(core, { date: () => new Date().toUTCString(), deleted: (vhost, queue) => vhost === '/' && queues.push(queue) });
  const result = await runConsole(host, line);
  // Exchanges the line deleted (the management API's DELETE) leave the diagram too.
  const after = exchangesOf();
  const exchanges = [...before].filter((name) => !after.has(name));
  if (queues.length === 0 && exchanges.length === 0) return result;
  return { ...result, deleted: { queues, ...(exchanges.length > 0 ? { exchanges } : {}) } };
}
