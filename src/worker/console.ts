/**
 * The console command's work, in a chunk of its own (like analyze.ts): the command-line tools
 * load on the first line typed, not with the worker. What a line deleted is reported by name,
 * so the page can take it off the diagram (the document changes only through its gateway).
 */

import type { Broker } from '../broker/index';
import { runConsole } from '../broker/tools/console';
import type { ConsoleResult } from './protocol';

export type ConsoleCore = Pick<Broker, 'inspect' | 'purgeQueueByName' | 'deleteQueueByName'>;

export async function runConsoleLine(core: ConsoleCore, line: string): Promise<ConsoleResult> {
  const queues: string[] = [];
  const result = await runConsole(
    {
      inspect: () => core.inspect(),
      purgeQueue: async (vhost, queue) => core.purgeQueueByName(vhost, queue),
      deleteQueue: async (vhost, queue, options) => {
        const ready = core.deleteQueueByName(vhost, queue, options);
        // The diagram shows vhost '/' only.
        if (vhost === '/') queues.push(queue);
        return ready;
      },
    },
    line,
  );
  return queues.length > 0 ? { ...result, deleted: { queues } } : result;
}
