/**
 * `rabbitmqadmin` (the management plugin's Python client, v1), answered through the same
 * HTTP API curl reaches (management.ts): `list` with its ASCII tables, `declare`, `delete`,
 * `purge`, `close`, `publish` and `get`, their one-line confirmations ("queue declared",
 * "Message published but NOT routed"), and its errors (`*** Not found: /api/queues/%2F/x`,
 * `ERROR: mandatory argument "name" is required`). `name=value` arguments as it takes them.
 */

import { apiRequest, type ApiHost, type Response } from './management';
import { failed, ok, type ProgramResult } from './shell';

type Spec = { mandatory: string[]; optional: Record<string, unknown>; json?: string[]; uri: string };

const LISTABLE: Record<string, { vhost: boolean; cols?: string[] }> = {
  connections: { vhost: false, cols: ['name', 'user', 'channels'] },
  channels: { vhost: false, cols: ['name', 'user'] },
  consumers: { vhost: true },
  exchanges: { vhost: true, cols: ['name', 'type'] },
  queues: { vhost: true, cols: ['name', 'messages'] },
  bindings: { vhost: true, cols: ['source', 'destination', 'routing_key'] },
  vhosts: { vhost: false, cols: ['name', 'messages'] },
};

const DECLARABLE: Record<string, Spec> = {
  exchange: { mandatory: ['name', 'type'], json: ['arguments'], optional: { auto_delete: 'false', durable: 'true', internal: 'false', arguments: {} }, uri: '/exchanges/{vhost}/{name}' },
  queue: { mandatory: ['name'], json: ['arguments'], optional: { auto_delete: 'false', durable: 'true', arguments: {}, node: null, queue_type: null }, uri: '/queues/{vhost}/{name}' },
  binding: { mandatory: ['source', 'destination'], json: ['arguments'], optional: { destination_type: 'queue', routing_key: '', arguments: {} }, uri: '/bindings/{vhost}/e/{source}/{destination_char}/{destination}' },
};
const DELETABLE: Record<string, Spec> = {
  exchange: { mandatory: ['name'], optional: {}, uri: '/exchanges/{vhost}/{name}' },
  queue: { mandatory: ['name'], optional: {}, uri: '/queues/{vhost}/{name}' },
  binding: { mandatory: ['source', 'destination_type', 'destination'], optional: { properties_key: '~' }, uri: '/bindings/{vhost}/e/{source}/{destination_char}/{destination}/{properties_key}' },
};
const PURGABLE: Record<string, Spec> = { queue: { mandatory: ['name'], optional: {}, uri: '/queues/{vhost}/{name}/contents' } };
const CLOSABLE: Record<string, Spec> = { connection: { mandatory: ['name'], optional: {}, uri: '/connections/{name}' } };
const PUBLISH: Spec = { mandatory: ['routing_key'], optional: { payload: null, properties: {}, exchange: 'amq.default', payload_encoding: 'string' }, json: ['properties'], uri: '/exchanges/{vhost}/{exchange}/publish' };
const GET: Spec = { mandatory: ['queue'], optional: { count: '1', ackmode: 'ack_requeue_true', payload_file: null, encoding: 'auto' }, uri: '/queues/{vhost}/{queue}/get' };

/** The columns listed first, in this order; the rest alphabetically. */
const PROMOTE_COLUMNS = ['vhost', 'name', 'type', 'source', 'destination', 'destination_type', 'routing_key'];

/** A usage error: rabbitmqadmin's words, and exit status 1. */
class Usage extends Error {}
/** A failed request: `*** …` and exit status 1. */
class Died extends Error {}

interface Options {
  vhost: string | null;
  quiet: boolean;
  format: string;
  user: string;
  password: string;
  args: string[];
}

function parseOptions(args: readonly string[]): Options {
  const o: Options = { vhost: null, quiet: false, format: 'table', user: 'guest', password: 'guest', args: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Usage(`${a} option requires 1 argument`);
      return v;
    };
    if (a === '-V' || a === '--vhost') o.vhost = value();
    else if (a.startsWith('--vhost=')) o.vhost = a.slice('--vhost='.length);
    else if (a === '-q' || a === '--quiet') o.quiet = true;
    else if (a === '-f' || a === '--format') o.format = value();
    else if (a === '-u' || a === '--username') o.user = value();
    else if (a === '-p' || a === '--password') o.password = value();
    else if (a === '-H' || a === '--host' || a === '-P' || a === '--port') value();
    else if (a.startsWith('-') && a.length > 1) throw new Usage(`no such option: ${a}`);
    else o.args.push(a);
  }
  return o;
}

/** rabbitmqadmin: its arguments in, its output out. */
export async function rabbitmqadmin(host: ApiHost, argv: readonly string[]): Promise<ProgramResult> {
  try {
    const o = parseOptions(argv);
    const [action, ...rest] = o.args;
    if (action === undefined) throw new Usage('Action not specified');
    const http = async (method: string, path: string, body: unknown = null): Promise<unknown> => {
      const r = await apiRequest(host, method, `/api${path}`, body === null ? null : JSON.stringify(body), `${o.user}:${o.password}`);
      return check(r, `/api${path}`);
    };
    const say = (line: string) => (o.quiet ? '' : `${line}\n`);
    switch (action) {
      case 'list':
        return ok(await list(http, o, rest));
      case 'declare': {
        const [type, uri, upload] = parse(DECLARABLE, rest, o);
        await http(type === 'binding' ? 'POST' : 'PUT', uri, upload);
        return ok(say(`${type} declared`));
      }
      case 'delete': {
        const [type, uri] = parse(DELETABLE, rest, o);
        await http('DELETE', uri);
        return ok(say(`${type} deleted`));
      }
      case 'purge': {
        const [type, uri] = parse(PURGABLE, rest, o);
        await http('DELETE', uri);
        return ok(say(`${type} purged`));
      }
      case 'close': {
        const [type, uri] = parse(CLOSABLE, rest, o);
        await http('DELETE', uri);
        return ok(say(`${type} closed`));
      }
      case 'publish': {
        const [uri, upload] = parseArgs(rest, PUBLISH, o);
        if (!('payload' in upload)) throw new Usage('the payload is read from standard input, which the console does not have: give payload=...');
        const answer = (await http('POST', uri, upload)) as { routed: boolean };
        return ok(say(answer.routed ? 'Message published' : 'Message published but NOT routed'));
      }
      case 'get': {
        const [uri, upload] = parseArgs(rest, GET, o);
        const messages = (await http('POST', uri, { ...upload, count: Number(upload.count) })) as Record<string, unknown>[];
        return ok(table(messages, [], o));
      }
      case 'help':
        return ok(HELP);
      default:
        throw new Usage(`Action ${action} not understood`);
    }
  } catch (error) {
    if (error instanceof Usage) return failed(`\nERROR: ${error.message}\n\nrabbitmqadmin --help for help\n\n`, 1);
    if (error instanceof Died) return failed(`*** ${error.message}\n\n`, 1);
    throw error;
  }
}

/** The HTTP answer as rabbitmqadmin takes it: its body, or it dies with the reason. */
function check(r: Response, path: string): unknown {
  const quoted = path.replace(/%2f/g, '%2F');
  if (r.status === 400) throw new Died(String((r.body as { reason?: unknown })?.reason ?? 'bad request'));
  if (r.status === 401) throw new Died(`Access refused: ${quoted}`);
  if (r.status === 404) throw new Died(`Not found: ${quoted}`);
  if (r.status > 400) throw new Died(`Received response ${r.status} for path ${quoted}`);
  return r.body ?? null;
}

async function list(http: (method: string, path: string) => Promise<unknown>, o: Options, rest: string[]): Promise<string> {
  const [type, ...columns] = rest;
  const info = type === undefined ? undefined : LISTABLE[type];
  if (!info || type === undefined) throw new Usage(`Don't know how to list ${type ?? ''}`);
  const path = `/${type}${info.vhost && o.vhost ? `/${encodeURIComponent(o.vhost)}` : ''}`;
  const rows = (await http('GET', path)) as Record<string, unknown>[];
  const cols = columns.length > 0 ? columns : o.format.includes('json') ? [] : (info.cols ?? []);
  return table(rows, cols, o);
}

/** Rows as rabbitmqadmin's formatters print them (table by default; tsv, kvp, raw_json, pretty_json). */
function table(rows: Record<string, unknown>[], wanted: string[], o: Options): string {
  if (o.format === 'raw_json') return `${JSON.stringify(rows)}\n`;
  if (o.format === 'pretty_json') return `${JSON.stringify(rows, null, 2)}\n`;
  const flat = rows.map((row) => flatten(row, wanted.length > 0 ? Infinity : 1));
  const columns = wanted.length > 0 ? wanted : [...new Set(flat.flatMap((r) => Object.keys(r)))].sort(byColumn);
  const cells = flat.map((r) => columns.map((c) => r[c] ?? ''));
  if (cells.length === 0) return o.quiet ? '' : 'No items\n';
  if (o.format === 'tsv') return `${o.quiet ? '' : `${columns.join('\t')}\n`}${cells.map((r) => r.join('\t')).join('\n')}\n`;
  if (o.format === 'kvp') return `${cells.map((r) => r.map((v, i) => `${columns[i]}="${v}"`).join(' ')).join('\n')}\n`;
  if (o.format !== 'table') throw new Usage(`Format ${o.format} not recognised`);
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const bar = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const center = (text: string, w: number) => {
    const pad = w - text.length;
    const left = Math.floor(pad / 2);
    return ' '.repeat(left) + text + ' '.repeat(pad - left);
  };
  const line = (r: string[], header: boolean) => `|${r.map((v, i) => ` ${header ? center(v, widths[i]!) : v.padEnd(widths[i]!)} `).join('|')}|`;
  return `${[bar, line(columns, true), bar, ...cells.map((r) => line(r, false)), bar].join('\n')}\n`;
}

function byColumn(a: string, b: string): number {
  const ia = PROMOTE_COLUMNS.indexOf(a);
  const ib = PROMOTE_COLUMNS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An item's values as text, nested tables as `a.b` columns down to `depth`, as Python prints them. */
function flatten(item: Record<string, unknown>, depth: number, prefix = '', level = 1): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(item)) {
    const column = prefix === '' ? key : `${prefix}.${key}`;
    if (Array.isArray(value)) out[column] = value.every((v) => typeof v === 'string') ? value.join(' ') : JSON.stringify(value);
    else if (typeof value === 'object' && value !== null) {
      if (level < depth) Object.assign(out, flatten(value as Record<string, unknown>, depth, column, level + 1));
    } else out[column] = typeof value === 'boolean' ? (value ? 'True' : 'False') : value === null ? 'None' : String(value);
  }
  return out;
}

function parse(root: Record<string, Spec>, args: string[], o: Options): [string, string, Record<string, unknown>] {
  const [type, ...rest] = args;
  if (type === undefined) throw new Usage('Type not specified');
  const spec = root[type];
  if (!spec) throw new Usage(`Type ${type} not recognised`);
  const [uri, upload] = parseArgs(rest, spec, o);
  return [type, uri, upload];
}

/** `name=value` arguments: the upload's fields and the URI they make. */
function parseArgs(args: string[], spec: Spec, o: Options): [string, Record<string, unknown>] {
  const upload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.optional)) if (v !== null) upload[k] = v;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) throw new Usage(`Argument "${arg}" not in the name=value format`);
    const [name, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    if (!spec.mandatory.includes(name) && !(name in spec.optional)) throw new Usage(`Argument "${name}" is not recognised`);
    if (spec.json?.includes(name)) {
      try {
        upload[name] = JSON.parse(value);
      } catch {
        throw new Usage(`Could not parse JSON:\n  ${value}`);
      }
    } else upload[name] = value;
  }
  for (const m of spec.mandatory) if (!(m in upload)) throw new Usage(`mandatory argument "${m}" is required`);
  upload.vhost = o.vhost ?? '/';
  // queue_type=quorum is the short way to write arguments={"x-queue-type":"quorum"}.
  if (typeof upload.queue_type === 'string') upload.arguments = { ...(upload.arguments as object), 'x-queue-type': upload.queue_type };
  for (const flag of ['durable', 'auto_delete', 'internal']) if (typeof upload[flag] === 'string') upload[flag] = upload[flag] === 'true';
  const uri = spec.uri.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (key === 'destination_char') return String(upload.destination_type ?? 'queue')[0]!;
    return encodeURIComponent(String(upload[key] ?? ''));
  });
  return [uri, upload];
}

const HELP = `Usage
=====
  rabbitmqadmin [options] subcommand

  where subcommand is one of:

Display
=======

  list connections|channels|consumers|exchanges|queues|bindings|vhosts [<column>...]

Object Manipulation
===================

  declare exchange name=... type=... [auto_delete=... durable=... internal=... arguments=...]
  declare queue name=... [auto_delete=... durable=... arguments=... queue_type=...]
  declare binding source=... destination=... [destination_type=... routing_key=... arguments=...]
  delete exchange name=...
  delete queue name=...
  delete binding source=... destination_type=... destination=... [properties_key=...]
  purge queue name=...

Publishing and Consuming
========================

  publish routing_key=... [payload=... properties=... exchange=... payload_encoding=...]
  get queue=... [count=... ackmode=... encoding=...]
`;
