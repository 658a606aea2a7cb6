/**
 * The console: a command line typed into the page, run against the broker as RabbitMQ's own
 * tools would run it (see shell.ts for the line, rabbitmqctl.ts for the tool). `help` lists
 * what it understands.
 */

import { rabbitmqctl, type CtlHost } from './rabbitmqctl';
import { ok, runLine, type Program, type ProgramResult } from './shell';

export type { CtlHost } from './rabbitmqctl';
export type { ProgramResult } from './shell';

const HELP = `Commands, run against this page's broker as on a RabbitMQ 4.3.6 node:
  rabbitmqctl list_queues [name messages messages_ready messages_unacknowledged consumers state ...]
  rabbitmqctl list_exchanges | list_bindings | list_consumers | list_vhosts [columns] [-q] [--no-table-headers] [--formatter json] [-p vhost]
  rabbitmqctl purge_queue NAME
  rabbitmqctl help [command]
Pipes: | sed 's/\\t/ | /g'  | grep WORD  | column -t  | head  | tail  | sort  | wc -l
"sudo " in front is accepted. clear empties the screen; the up and down arrows recall history.
`;

export function runConsole(host: CtlHost, line: string): Promise<ProgramResult> {
  const programs: Record<string, Program> = {
    rabbitmqctl: (args) => rabbitmqctl(host, args),
    help: () => ok(HELP),
  };
  return runLine(line, programs);
}
