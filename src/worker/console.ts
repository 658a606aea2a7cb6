/**
 * The console command's work, in a chunk of its own (like analyze.ts): the command-line tools
 * load on the first line typed, not with the worker.
 */

import type { Broker } from '../broker/index';
import { runConsole, type ProgramResult } from '../broker/tools/console';

export function runConsoleLine(core: Pick<Broker, 'inspect' | 'purgeQueueByName'>, line: string): Promise<ProgramResult> {
  return runConsole(
    {
      inspect: () => core.inspect(),
      purgeQueue: async (vhost, queue) => core.purgeQueueByName(vhost, queue),
    },
    line,
  );
}
