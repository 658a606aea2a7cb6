/**
 * `rabbitmqctl` as RabbitMQ 4.3.6 prints it, answered from the broker's snapshot
 * (inspect.ts): the `Timeout: 60.0 seconds ...` and `Listing … ...` banners (left out with
 * `--quiet`), a tab-separated header row (left out with `--no-table-headers`) and one row per
 * item, or `--formatter json`. Errors and exit codes are the real tool's (64 for usage errors,
 * 69 for a missing vhost or object). Checked on a real 4.3.6 (../shared/oracle).
 *
 * Each list command names its info items, its default columns and how to read each item from
 * a snapshot row; cost is linear in the rows listed.
 */

import type { BindingInfo, BrokerSnapshot, ChannelInfo, ConnectionInfo, ConsumerInfo, ExchangeInfo, QueueInfo } from '../inspect';
import { erlangTypeName, fieldTableFromJSON, type FieldTable, type FieldValue } from '../field-table';
import { definitionsOf } from './definitions';
import { failed, ok, type ProgramResult } from './shell';

/** What rabbitmqctl needs of the broker: its state, and the few changes it makes. */
export interface CtlHost {
  inspect(): BrokerSnapshot;
  /** Purges a queue; resolves with the count, rejects when it is missing. */
  purgeQueue(vhost: string, queue: string): Promise<number>;
  /** Deletes a queue; resolves with the ready messages it held, rejects with the broker's error. */
  deleteQueue(vhost: string, queue: string, options: { ifEmpty: boolean; ifUnused: boolean }): Promise<number>;
  /** Closes a client connection by id (the server's connection.close, with this reason). */
  closeConnection(id: number, reason: string): void;
  /** The console's files (export_definitions writes one, import_definitions reads it): path → text. */
  files: Map<string, string>;
  /** Imports definitions (JSON text) as the management API does; null when done, else the reason. */
  importDefinitions(json: string): Promise<string | null>;
}

const NODE = 'rabbit@localhost';
const TIMEOUT_BANNER = 'Timeout: 60.0 seconds ...';

/** An info item's value, as the table shows it and as JSON carries it. */
type Cell = string | number | boolean | FieldTable | null;

interface ListSpec<Row> {
  banner: (vhost: string) => string;
  /** rabbitmqctl prints the Timeout banner before some listings only. */
  timeoutBanner: boolean;
  items: Record<string, (row: Row, snapshot: BrokerSnapshot) => Cell>;
  defaults: readonly string[];
  rows: (snapshot: BrokerSnapshot, vhost: string) => Row[];
  /** Takes `-p`/`--vhost`. */
  perVhost: boolean;
  usage: string;
}

const byName = <T extends { name: string }>(rows: T[]) => [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const pid = (n: number) => `<${NODE}.1765000000.${n}.0>`;

const QUEUES: ListSpec<QueueInfo> = {
  banner: (vhost) => `Listing queues for vhost ${vhost} ...`,
  timeoutBanner: true,
  perVhost: true,
  defaults: ['name', 'messages'],
  rows: (s, vhost) => byName(s.queues.filter((q) => q.vhost === vhost)),
  items: {
    name: (q) => q.name,
    durable: (q) => q.durable,
    auto_delete: (q) => q.auto_delete,
    // RabbitMQ 4.x records the type it chose: a queue declared without x-queue-type lists it.
    arguments: (q) => fieldTableFromJSON({ 'x-queue-type': q.type, ...q.arguments }),
    policy: () => '',
    pid: (q) => pid(hash(q.name)),
    owner_pid: (q) => (q.exclusive ? pid(hash(`owner ${q.name}`)) : ''),
    // Quorum and stream queues are never exclusive: the column stays blank.
    exclusive: (q) => (q.type === 'classic' ? q.exclusive : ''),
    exclusive_consumer_pid: () => '',
    exclusive_consumer_tag: () => '',
    messages_ready: (q) => q.messages_ready,
    messages_unacknowledged: (q) => q.messages_unacknowledged,
    messages: (q) => q.messages,
    messages_ready_ram: (q) => q.messages_ready,
    messages_unacknowledged_ram: (q) => q.messages_unacknowledged,
    messages_ram: (q) => q.messages,
    messages_persistent: () => 0,
    message_bytes: () => 0,
    consumers: (q) => q.consumers,
    consumer_utilisation: (q) => (q.consumers > 0 ? 1.0 : ''),
    consumer_capacity: (q) => (q.consumers > 0 ? 1.0 : 0),
    // An honest estimate: a queue process's base footprint plus a little per message.
    memory: (q) => (q.type === 'classic' ? 21_584 : 55_588) + 1_000 * q.messages,
    state: (q) => q.state,
    type: (q) => q.type,
    leader: (q) => (q.type === 'classic' ? '' : NODE),
    members: (q) => (q.type === 'classic' ? '' : NODE),
    online: (q) => (q.type === 'classic' ? '' : NODE),
  },
  usage:
    'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_queues [--vhost <vhost>] [--online] [--offline] [--local] [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const EXCHANGES: ListSpec<ExchangeInfo> = {
  banner: (vhost) => `Listing exchanges for vhost ${vhost} ...`,
  timeoutBanner: false,
  perVhost: true,
  defaults: ['name', 'type'],
  rows: (s, vhost) => byName(s.exchanges.filter((x) => x.vhost === vhost)),
  items: {
    name: (x) => x.name,
    type: (x) => x.type,
    durable: (x) => x.durable,
    auto_delete: (x) => x.auto_delete,
    internal: (x) => x.internal,
    arguments: (x) => fieldTableFromJSON(x.arguments),
    policy: () => '',
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_exchanges [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const BINDINGS: ListSpec<BindingInfo> = {
  // rabbitmqctl prints no space before the dots here.
  banner: (vhost) => `Listing bindings for vhost ${vhost}...`,
  timeoutBanner: false,
  perVhost: true,
  defaults: ['source_name', 'source_kind', 'destination_name', 'destination_kind', 'routing_key', 'arguments'],
  rows: (s, vhost) => s.bindings.filter((b) => b.vhost === vhost),
  items: {
    source_name: (b) => b.source_name,
    source_kind: (b) => b.source_kind,
    destination_name: (b) => b.destination_name,
    destination_kind: (b) => b.destination_kind,
    routing_key: (b) => b.routing_key,
    arguments: (b) => fieldTableFromJSON(b.arguments),
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_bindings [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const CONSUMERS: ListSpec<ConsumerInfo> = {
  banner: (vhost) => `Listing consumers in vhost ${vhost} ...`,
  timeoutBanner: false,
  perVhost: true,
  defaults: ['queue_name', 'channel_pid', 'consumer_tag', 'ack_required', 'prefetch_count', 'active', 'activity_status', 'arguments'],
  rows: (s, vhost) => s.consumers.filter((c) => c.vhost === vhost),
  items: {
    queue_name: (c) => c.queue_name,
    channel_pid: (c) => pid(1000 + c.channel),
    consumer_tag: (c) => c.consumer_tag,
    ack_required: (c) => c.ack_required,
    prefetch_count: (c) => c.prefetch_count,
    exclusive: (c) => c.exclusive,
    active: () => true,
    activity_status: () => 'up',
    arguments: () => ({}),
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_consumers [--vhost <vhost>] [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const VHOSTS: ListSpec<{ name: string }> = {
  banner: () => 'Listing vhosts ...',
  timeoutBanner: false,
  perVhost: false,
  defaults: ['name'],
  rows: (s) => byName(s.vhosts.map((name) => ({ name }))),
  items: {
    name: (v) => v.name,
    description: () => '',
    tags: () => '[]',
    default_queue_type: () => 'classic',
    tracing: () => false,
    cluster_state: () => `[{${NODE},running}]`,
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_vhosts [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

/** A listing whose rows it makes and reads itself, whatever their type. */
const erased = <Row>(spec: ListSpec<Row>) => spec as unknown as ListSpec<unknown>;

const peer = (c: ConnectionInfo) => /^([^:]+):(\d+) ->/.exec(c.name);

const CONNECTIONS: ListSpec<ConnectionInfo> = {
  banner: () => 'Listing connections ...',
  timeoutBanner: false,
  perVhost: false,
  defaults: ['user', 'peer_host', 'peer_port', 'state'],
  rows: (s) => s.connections,
  items: {
    pid: (c) => pid(500 + c.id),
    name: (c) => c.name,
    port: () => 5672,
    host: () => '127.0.0.1',
    peer_port: (c) => Number(peer(c)?.[2] ?? 0),
    peer_host: (c) => peer(c)?.[1] ?? '127.0.0.1',
    ssl: () => false,
    state: (c) => c.state,
    channels: (c) => c.channels,
    protocol: () => '{0,9,1}',
    auth_mechanism: () => 'PLAIN',
    user: (c) => c.user,
    vhost: (c) => c.vhost,
    timeout: () => 60,
    frame_max: () => 131072,
    channel_max: () => 2047,
    recv_cnt: (c) => c.recv_cnt,
    send_cnt: (c) => c.send_cnt,
    send_pend: () => 0,
    connected_at: (c) => 1_765_000_000_000 + c.connected_at,
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_connections [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const CHANNELS: ListSpec<ChannelInfo> = {
  banner: () => 'Listing channels ...',
  timeoutBanner: false,
  perVhost: false,
  defaults: ['pid', 'user', 'consumer_count', 'messages_unacknowledged'],
  rows: (s) => s.channels,
  items: {
    pid: (c) => pid(1000 + c.id),
    connection: (c) => pid(500 + c.connection),
    name: (c) => c.name,
    number: (c) => c.number,
    user: (c) => c.user,
    vhost: (c) => c.vhost,
    transactional: () => false,
    confirm: (c) => c.confirm,
    consumer_count: (c) => c.consumer_count,
    messages_unacknowledged: (c) => c.messages_unacknowledged,
    messages_uncommitted: () => 0,
    acks_uncommitted: () => 0,
    messages_unconfirmed: () => 0,
    prefetch_count: (c) => c.prefetch_count,
    global_prefetch_count: (c) => c.global_prefetch_count,
  },
  usage: 'rabbitmqctl [--node <node>] [--longnames] [--quiet] list_channels [--no-table-headers] [<column>, ...] [--timeout <timeout>]',
};

const LISTS: Record<string, ListSpec<unknown>> = {
  list_connections: erased(CONNECTIONS),
  list_channels: erased(CHANNELS),
  list_queues: erased(QUEUES),
  list_exchanges: erased(EXCHANGES),
  list_bindings: erased(BINDINGS),
  list_consumers: erased(CONSUMERS),
  list_vhosts: erased(VHOSTS),
};

/** One line of `help`, per command. */
const COMMANDS: Record<string, string> = {
  list_connections: 'Lists AMQP 0.9.1 connections for the node',
  list_channels: 'Lists all channels in the node',
  list_queues: 'Lists queues and their properties',
  list_exchanges: 'Lists exchanges',
  list_bindings: 'Lists all bindings on a vhost',
  list_consumers: 'Lists all consumers for a vhost',
  list_vhosts: 'Lists virtual hosts',
  purge_queue: 'Purges a queue (removes all messages in it)',
  delete_queue: 'Deletes a queue',
  close_connection: 'Instructs the broker to close the connection associated with the Erlang process id',
  status: 'Displays status of a node',
  export_definitions: 'Exports definitions in JSON or compressed Erlang Term Format',
  import_definitions: 'Imports definitions in JSON or compressed Erlang Term Format',
  help: 'Displays help for a command or a list of all commands',
};

/** What Tab may complete after `rabbitmqctl`: its commands, and each listing's info items. */
export const CTL_VOCABULARY = {
  commands: () => Object.keys(COMMANDS),
  items: (command: string): readonly string[] => (Object.hasOwn(LISTS, command) ? Object.keys(LISTS[command]!.items) : []),
};

/** The options every command takes, parsed; the rest are positional arguments. */
interface Options {
  quiet: boolean;
  headers: boolean;
  json: boolean;
  vhost: string;
  positional: string[];
}

function parseOptions(args: readonly string[]): Options | string {
  const o: Options = { quiet: false, headers: true, json: false, vhost: '/', positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    switch (flag) {
      case '-q':
      case '--quiet':
      case '-s':
      case '--silent':
        o.quiet = true;
        break;
      case '--no-table-headers':
        o.headers = false;
        break;
      case '-p':
      case '--vhost': {
        const v = value();
        if (v === undefined) return `option ${flag} needs a value`;
        o.vhost = v;
        break;
      }
      case '-f':
      case '--formatter': {
        const v = value();
        if (v !== 'json' && v !== 'table' && v !== 'pretty_table' && v !== 'csv') return `invalid formatter: ${String(v)}`;
        o.json = v === 'json';
        break;
      }
      // Accepted and irrelevant to a single local node.
      case '-n':
      case '--node':
      case '-t':
      case '--timeout':
        if (inline === undefined) i++;
        break;
      case '-e':
      case '--if-empty':
      case '-u':
      case '--if-unused':
      case '-l':
      case '--longnames':
      case '--online':
      case '--offline':
      case '--local':
        break;
      default:
        if (flag.startsWith('-') && flag.length > 1) return `unrecognised option ${flag}`;
        o.positional.push(arg);
    }
  }
  return o;
}

/** rabbitmqctl: its arguments (after the program's name) in, its output out. */
export async function rabbitmqctl(host: CtlHost, args: readonly string[]): Promise<ProgramResult> {
  const command = args.find((a, i) => !a.startsWith('-') && !isOptionValue(args, i));
  if (command === undefined) return failed(`${usageText()}\n`, 64);
  const rest = args.filter((_, i) => i !== args.indexOf(command));
  const options = parseOptions(rest);
  if (typeof options === 'string') return failed(`Error (argument validation): ${options}\n`, 64);
  if (command === 'help') return help(options.positional[0]);
  const list = Object.hasOwn(LISTS, command) ? LISTS[command] : undefined;
  if (list) return listing(command, list, options, host.inspect());
  if (command === 'purge_queue') return purge(host, options);
  if (command === 'delete_queue') return deleteQueue(host, options, rest);
  if (command === 'status') return ok(status(host.inspect(), options));
  if (command === 'export_definitions') return exportDefinitions(host, options);
  if (command === 'import_definitions') return importDefinitions(host, options);
  if (command === 'close_connection') return closeConnection(host, options);
  return failed(`Command '${command}' not found. \n${suggestion(command)}`, 64);
}

/** Is args[i] the value of the option before it (`-p /`)? */
function isOptionValue(args: readonly string[], i: number): boolean {
  return i > 0 && ['-p', '--vhost', '-n', '--node', '-t', '--timeout', '-f', '--formatter'].includes(args[i - 1]!);
}

function listing(command: string, spec: ListSpec<unknown>, o: Options, snapshot: BrokerSnapshot): ProgramResult {
  // Info items may come comma-separated too: `list_queues name,messages`.
  const columns = o.positional.flatMap((p) => p.split(',')).filter((c) => c !== '');
  const wanted = columns.length > 0 ? columns : [...spec.defaults];
  const unknown = wanted.filter((item) => !Object.hasOwn(spec.items, item));
  const banners = o.quiet ? [] : [...(spec.timeoutBanner ? [TIMEOUT_BANNER] : []), spec.banner(o.vhost)];
  if (unknown.length > 0) {
    return failed(
      `Error (argument validation): Info key(s) ${unknown.join(',')} are not supported\nArguments given:\n\t${command} ${columns.join(' ')}\n\nUsage\n\n${spec.usage}\n`,
      64,
      banners.length > 0 ? `${banners.join('\n')}\n` : '',
    );
  }
  // A vhost that does not exist lists nothing (rabbitmqctl 4.3 says no more).
  const rows = spec.perVhost && !snapshot.vhosts.includes(o.vhost) ? [] : spec.rows(snapshot, o.vhost);
  const cells = rows.map((row) => wanted.map((item) => spec.items[item]!(row, snapshot)));
  const out = [...banners];
  if (o.json) {
    out.push('[');
    cells.forEach((row, i) => out.push(`${i === 0 ? '' : ','}{${row.map((cell, j) => `${JSON.stringify(wanted[j])}:${jsonCell(cell)}`).join(',')}}`));
    out.push(']');
  } else if (rows.length > 0) {
    if (o.headers) out.push(wanted.join('\t'));
    for (const row of cells) out.push(row.map(tableCell).join('\t'));
  }
  return ok(out.length > 0 ? `${out.join('\n')}\n` : '');
}

async function purge(host: CtlHost, o: Options): Promise<ProgramResult> {
  const [queue, extra] = o.positional;
  if (queue === undefined || extra !== undefined) {
    return failed(
      `Error (argument validation): ${queue === undefined ? 'not enough arguments' : 'too many arguments'}\nArguments given:\n\tpurge_queue ${o.positional.join(' ')}\n\nUsage\n\nrabbitmqctl [--node <node>] [--longnames] [--quiet] purge_queue [--vhost <vhost>] <queue>\n`,
      64,
    );
  }
  const banner = o.quiet ? '' : `Purging queue '${queue}' in vhost '${o.vhost}' ...\n`;
  try {
    await host.purgeQueue(o.vhost, queue);
  } catch {
    // As 4.3.6 prints it (and exits 69, EX_UNAVAILABLE).
    return failed('Object (queue, stream, exchange, etc) was not found\n', 69, banner);
  }
  return ok(banner);
}

async function deleteQueue(host: CtlHost, o: Options, args: readonly string[]): Promise<ProgramResult> {
  const [queue, extra] = o.positional;
  if (queue === undefined || extra !== undefined) {
    return failed(
      `Error (argument validation): ${queue === undefined ? 'not enough arguments' : 'too many arguments'}\nArguments given:\n\tdelete_queue ${o.positional.join(' ')}\n\nUsage\n\nrabbitmqctl [--node <node>] [--longnames] [--quiet] delete_queue [--vhost <vhost>] <queue_name> [--if-empty|-e] [--if-unused|-u]\n`,
      64,
    );
  }
  const ifEmpty = args.includes('--if-empty') || args.includes('-e');
  const ifUnused = args.includes('--if-unused') || args.includes('-u');
  const condition = ifEmpty && ifUnused ? ' if queue is empty and has no consumers' : ifEmpty ? ' if queue is empty' : ifUnused ? ' if queue has no consumers' : '';
  const banner = o.quiet ? '' : `Deleting queue '${queue}' on vhost '${o.vhost}'${condition} ...\n`;
  let ready: number;
  try {
    ready = await host.deleteQueue(o.vhost, queue, { ifEmpty, ifUnused });
  } catch (error) {
    const code = (error as { replyName?: unknown }).replyName;
    // 4.3.6: a missing queue is a usage error (64); a refusal shows the AMQP error as Elixir prints it (69).
    if (code === 'NOT_FOUND') return failed('Error:\nNo such queue was found\n', 64, banner);
    const kind = typeof code === 'string' ? code.toLowerCase() : 'internal_error';
    const text = error instanceof Error ? error.message.replace(/^[A-Z_]+ - /, '') : String(error);
    return failed(`Error:\n{:amqp_error, :${kind}, ~c"${text}", :none}\n`, 69, banner);
  }
  return ok(`${banner}Queue was successfully deleted with ${ready} ready messages\n`);
}

/** A short, honest `status`: the sections of 4.3.6's that mean something for this broker. */
function status(s: BrokerSnapshot, o: Options): string {
  return [
    ...(o.quiet ? [] : [`Status of node ${NODE} ...`]),
    'Runtime',
    '',
    'OS: a Web Worker in this page (the playground simulates one RabbitMQ node)',
    `Uptime (seconds): ${Math.floor(s.time / 1000)}`,
    'Is under maintenance?: false',
    'RabbitMQ version: 4.3.6',
    `Node name: ${NODE}`,
    '',
    'Alarms',
    '',
    '(none)',
    '',
    'Totals',
    '',
    `Connection count: ${s.connections.length}`,
    `Queue count: ${s.queues.length}`,
    `Virtual host count: ${s.vhosts.length}`,
    '',
    'Listeners',
    '',
    'Interface: 127.0.0.1, port: 15672, protocol: http, purpose: HTTP API',
    'Interface: 127.0.0.1, port: 5672, protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0',
    '',
  ].join('\n');
}

/**
 * `export_definitions -` prints the broker's definitions as JSON (4.3.6's shape);
 * `export_definitions FILE` writes them to one of the console's files (it has no disk), which
 * `import_definitions FILE` and `cat FILE` read back.
 */
function exportDefinitions(host: CtlHost, o: Options): ProgramResult {
  const [target] = o.positional;
  if (target === undefined) return failed('Error (argument validation): not enough arguments\n', 64);
  const json = JSON.stringify(definitionsOf(host.inspect()));
  if (target === '-') return ok(`${json}\n`);
  host.files.set(target, json);
  return ok(o.quiet ? '' : `Exporting definitions in JSON to a file at "${target}" ...\n`);
}

async function importDefinitions(host: CtlHost, o: Options): Promise<ProgramResult> {
  const [path] = o.positional;
  const usage = `Arguments given:\n\timport_definitions ${o.positional.join(' ')}\n\nUsage\n\nrabbitmqctl [--node <node>] [--longnames] [--quiet] import_definitions <file_path> [--format <json | erlang>] [--skip-if-unchanged] [--timeout <timeout>]\n`;
  if (path === undefined) return failed(`Error (argument validation): not enough arguments\n${usage}`, 64);
  const text = host.files.get(path);
  if (text === undefined) return failed(`Error (argument validation): Bad argument: File ${path} does not exist\n${usage}`, 65);
  const banner = o.quiet ? '' : `Importing definitions in JSON from a file at "${path}" ...\n`;
  try {
    JSON.parse(text);
  } catch (error) {
    const at = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    const byte = (text.charCodeAt(at) || 0).toString(16);
    return failed(`Error:\nFailed to deserialise input (format: JSON) (error: {:unexpected_byte, "0x${byte}", ${at}})\n`, 65, banner);
  }
  const problem = await host.importDefinitions(text);
  if (problem) return failed(`Error:\n${problem}\n`, 65, banner);
  return ok(`${banner}Successfully started definition import. This process is asynchronous and can take some time. Watch target node logs for completion.\n`);
}

async function closeConnection(host: CtlHost, o: Options): Promise<ProgramResult> {
  const [target, reason] = o.positional;
  if (target === undefined || reason === undefined) {
    return failed(`Error (argument validation): not enough arguments\nArguments given:\n\tclose_connection ${o.positional.join(' ')}\n\nUsage\n\nrabbitmqctl [--node <node>] [--longnames] [--quiet] close_connection <connection pid> <explanation>\n`, 64);
  }
  const banner = o.quiet ? '' : `Closing connection ${target}, reason: ${reason}...\n`;
  const connection = host.inspect().connections.find((c) => pid(500 + c.id) === target);
  if (!/^<[^<>]+>$/.test(target)) return failed(`Error:\n{:invalid_pid_syntax, ${JSON.stringify(target)}}\n`, 69, banner);
  // A pid of no live connection: rabbitmqctl says nothing more.
  if (connection) host.closeConnection(connection.id, reason);
  return ok(banner);
}

function help(command: string | undefined): ProgramResult {
  if (command === undefined) {
    const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
    return ok(`${usageText()}\n\nAvailable commands:\n\n${Object.entries(COMMANDS).map(([c, text]) => `   ${c.padEnd(width)}  ${text}`).join('\n')}\n\nUse 'rabbitmqctl help <command>' to learn more about a specific command\n`);
  }
  const list = Object.hasOwn(LISTS, command) ? LISTS[command] : undefined;
  if (list) {
    return ok(`Usage\n\n${list.usage}\n\n${COMMANDS[command]}.\n\nInfo items (columns): ${Object.keys(list.items).join(', ')}.\nDefault: ${list.defaults.join(' ')}.\n`);
  }
  if (Object.hasOwn(COMMANDS, command)) return ok(`${COMMANDS[command]}.\n`);
  return failed(`Command '${command}' not found. \n${suggestion(command)}`, 64);
}

function usageText(): string {
  return 'Usage\n\nrabbitmqctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command> [<command options>]';
}

/** rabbitmqctl's "Did you mean" line: the closest known command, when one is close. */
function suggestion(command: string): string {
  let best = '';
  let bestScore = 0;
  for (const known of Object.keys(COMMANDS)) {
    const score = jaroWinkler(command, known);
    if (score > bestScore) [best, bestScore] = [known, score];
  }
  return bestScore >= 0.8 ? `Did you mean '${best}'? \n` : '';
}

/** Jaro-Winkler similarity, as Elixir's String.jaro_distance with the Winkler prefix bonus. */
function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] !== undefined && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** A small stable number from a name, for pids that stay the same between listings. */
function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 100_000;
  return h;
}

// ---- cells ---------------------------------------------------------------------------------

function isTable(cell: Cell): cell is FieldTable {
  return typeof cell === 'object' && cell !== null;
}

/** A cell as the table formatter prints it: arguments as `[{"key",value}]`, sorted by key. */
function tableCell(cell: Cell): string {
  if (isTable(cell)) return `[${Object.keys(cell).sort().map((k) => `{${JSON.stringify(k)},${termText(cell[k]!)}}`).join(',')}]`;
  return cell === null ? '' : String(cell);
}

function termText(v: FieldValue): string {
  switch (v.type) {
    case 'longstr':
      return JSON.stringify(v.value);
    case 'table':
      return tableCell(v.value);
    case 'array':
      return `[${v.value.map(termText).join(',')}]`;
    case 'bytes':
      return JSON.stringify(new TextDecoder().decode(v.value));
    case 'decimal':
      return `{${v.value.places},${v.value.digits}}`;
    case 'void':
      return 'undefined';
    default:
      return String(v.value);
  }
}

/** A cell as JSON: arguments as `[["key","type",value]]`. */
function jsonCell(cell: Cell): string {
  if (isTable(cell)) return `[${Object.keys(cell).sort().map((k) => `[${JSON.stringify(k)},${JSON.stringify(erlangTypeName(cell[k]!.type))},${jsonValue(cell[k]!)}]`).join(',')}]`;
  return JSON.stringify(cell ?? '');
}

function jsonValue(v: FieldValue): string {
  switch (v.type) {
    case 'table':
      return jsonCell(v.value);
    case 'array':
      return `[${v.value.map(jsonValue).join(',')}]`;
    case 'bytes':
      return JSON.stringify(new TextDecoder().decode(v.value));
    case 'decimal':
      return JSON.stringify(v.value);
    case 'void':
      return 'null';
    default:
      return JSON.stringify(typeof v.value === 'bigint' ? Number(v.value) : v.value);
  }
}
