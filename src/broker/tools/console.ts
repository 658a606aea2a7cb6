/**
 * The console: a command line typed into the page, run against the broker as RabbitMQ's own
 * tools would run it (see shell.ts for the line, rabbitmqctl.ts for the tool). `help` lists
 * what it understands.
 */

import type { Broker } from '../broker';
import { apiRequest, curl, type ApiHost } from './management';
import { rabbitmqadmin } from './rabbitmqadmin';
import { rabbitmqctl, type CtlHost } from './rabbitmqctl';
import { ok, runLine, type Program, type ProgramResult } from './shell';

export type { ApiHost } from './management';
export type { CtlHost } from './rabbitmqctl';
export type { ProgramResult } from './shell';

/** What the console's tools need of the broker. */
export type ConsoleHost = CtlHost & ApiHost;

/** The broker methods a console host is made of. */
export type ConsoleCore = Pick<Broker, 'inspect' | 'purgeQueueByName' | 'deleteQueueByName' | 'connect' | 'whatIf' | 'closeConnectionById'>;

/**
 * A console host on a broker: `files` are the console's own (export_definitions writes them);
 * `date` gives the HTTP date header (the core has no clock of its own to give).
 */
export function consoleHost(core: ConsoleCore, options: { date: () => string; files?: Map<string, string> }): ConsoleHost {
  const host: ConsoleHost = {
    files: options.files ?? new Map(),
    importDefinitions: async (json) => {
      const r = await apiRequest(host, 'POST', '/api/definitions', json);
      return r.status === 204 ? null : String((r.body as { reason?: unknown } | undefined)?.reason ?? r.status);
    },
    inspect: () => core.inspect(),
    purgeQueue: async (vhost, queue) => core.purgeQueueByName(vhost, queue),
    deleteQueue: async (vhost, queue, flags) => core.deleteQueueByName(vhost, queue, flags),
    connect: (vhost) => core.connect({ vhost, internal: true }),
    closeConnection: (id, reason) => core.closeConnectionById(id, reason),
    routes: (vhost, exchange, routingKey, headers) => {
      const trace = core.whatIf(vhost, exchange, routingKey, headers ? { headers } : {});
      return trace.queues.length > 0 || (trace.directReplies ?? 0) > 0;
    },
    date: options.date,
  };
  return host;
}

const HELP = `Commands, run against this page's broker as on a RabbitMQ 4.3.6 node:
  rabbitmqctl list_queues [name messages messages_ready messages_unacknowledged consumers state ...]
  rabbitmqctl list_exchanges | list_bindings | list_consumers | list_vhosts [columns] [-q] [--no-table-headers] [--formatter json] [-p vhost]
  rabbitmqctl purge_queue NAME | delete_queue NAME [--if-empty] [--if-unused]
  rabbitmqctl list_connections | list_channels [columns] | close_connection PID REASON
  rabbitmqctl status | export_definitions -|FILE | import_definitions FILE | help [command]
  cat FILE (the console's files: what export_definitions wrote)
  rabbitmqadmin list queues|exchanges|bindings|connections|channels|consumers [columns]
  rabbitmqadmin declare|delete queue|exchange|binding name=... | purge queue name=... | publish routing_key=... payload=... | get queue=...
  curl -i -u guest:guest [-X METHOD] [-H header] [-d JSON] http://localhost:15672/api/{overview,queues,exchanges,bindings,connections,channels,consumers,vhosts}[/%2f[/name]]
Pipes: | sed 's/\\t/ | /g'  | grep WORD  | column -t  | head  | tail  | sort  | wc -l
"sudo " in front is accepted. clear empties the screen; the up and down arrows recall history.
`;

const CURL_HELP = `curl against the management API at http://localhost:15672/api/ (user guest, password guest):
  -u user:password   credentials (none or wrong: 401)
  -i                 show the status line and headers
  -X METHOD          GET (default), PUT, POST or DELETE; -XDELETE works too
  -H header          accepted (the API takes JSON)
  -d JSON            the request body (POST by default)
Paths: overview, vhosts, queues[/%2f[/name[/contents|/get]]], exchanges[/%2f[/name[/publish]]],
bindings[/%2f[/e/source/q|e/destination[/properties_key]]], connections, channels, consumers, definitions
`;

export function runConsole(host: ConsoleHost, line: string): Promise<ProgramResult> {
  const programs: Record<string, Program> = {
    rabbitmqctl: (args) => rabbitmqctl(host, args),
    curl: (args) => curl(host, args),
    rabbitmqadmin: (args) => rabbitmqadmin(host, args),
    cat: (args) => {
      const missing = args.filter((path) => !host.files.has(path));
      const out = args.filter((path) => host.files.has(path)).map((path) => `${host.files.get(path)}\n`).join('');
      return missing.length === 0 ? ok(out) : { stdout: out, stderr: missing.map((p) => `cat: ${p}: No such file or directory\n`).join(''), status: 1 };
    },
    // help COMMAND: the tool's own help for it (rabbitmqctl's commands, rabbitmqadmin, curl).
    help: (args) => {
      const [topic] = args;
      if (topic === undefined) return ok(HELP);
      if (topic === 'rabbitmqadmin') return rabbitmqadmin(host, ['help']);
      if (topic === 'rabbitmqctl') return rabbitmqctl(host, ['help']);
      if (topic === 'curl') return ok(CURL_HELP);
      return rabbitmqctl(host, ['help', topic]);
    },
  };
  return runLine(line, programs);
}
