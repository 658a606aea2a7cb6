/**
 * `curl` against the management HTTP API (http://localhost:15672/api/…), answered as RabbitMQ
 * 4.3.6's management plugin answers: the same paths, status codes, JSON bodies and error
 * shapes (`{"error":"Object Not Found","reason":"Not Found"}`), and with `-i` the status line
 * and Cowboy's headers. Checked on a real 4.3.6 (../shared/oracle). Changes go through an
 * amqplib-shaped connection opened for the request and closed after it, as the plugin's own
 * internal connection; reads come from the broker's snapshot. Cost: one snapshot per request.
 */

import type { Connection } from '../amqp/connection';
import type { BrokerSnapshot, QueueInfo } from '../inspect';
import { definitionsOf, plainJson as plain } from './definitions';
import { failed, type ProgramResult } from './shell';

/** What the management API needs of the broker. */
export interface ApiHost {
  inspect(): BrokerSnapshot;
  /** A client connection for the request's changes (closed after it). */
  connect(vhost: string): Promise<Connection>;
  purgeQueue(vhost: string, queue: string): Promise<number>;
  deleteQueue(vhost: string, queue: string, options: { ifEmpty: boolean; ifUnused: boolean }): Promise<number>;
  /** Would a message with this key (and headers) reach a queue? (the publish answer's `routed`) */
  routes(vhost: string, exchange: string, routingKey: string, headers: Record<string, unknown> | undefined): boolean;
  /** The date header's value (the page's clock: the core has none). */
  date(): string;
}

/** The API's snake_case message properties as amqplib's publish options. */
const PROPERTY_OPTIONS: Record<string, string> = {
  content_type: 'contentType',
  content_encoding: 'contentEncoding',
  headers: 'headers',
  delivery_mode: 'deliveryMode',
  priority: 'priority',
  correlation_id: 'correlationId',
  reply_to: 'replyTo',
  expiration: 'expiration',
  message_id: 'messageId',
  timestamp: 'timestamp',
  type: 'type',
  user_id: 'userId',
  app_id: 'appId',
};


const VERSION = '4.3.6';
const USERS: Record<string, string> = { guest: 'guest' };

export interface Response {
  status: number;
  body?: unknown;
  /** Extra headers (location). */
  headers?: Record<string, string>;
  /** The allow header, by the resource. */
  allow?: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
};

const notFound = (): Response => ({ status: 404, body: { error: 'Object Not Found', reason: 'Not Found' } });
const badRequest = (reason: unknown): Response => ({ status: 400, body: { error: 'bad_request', reason } });

/** The parts of a curl command line the console understands. */
interface CurlRequest {
  method: string;
  url: string;
  user: string | null;
  include: boolean;
  data: string | null;
  headers: string[];
}

function parseCurl(args: readonly string[]): CurlRequest | string {
  const r: CurlRequest = { method: '', url: '', user: null, include: false, data: null, headers: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => args[++i];
    if (a === '-i' || a === '--include') r.include = true;
    else if (a === '-s' || a === '--silent' || a === '-S' || a === '--show-error' || a === '-sS' || a === '-f' || a === '--fail' || a === '-L') continue;
    else if (a === '-u' || a === '--user') r.user = next() ?? '';
    else if (a.startsWith('-u') && a.length > 2) r.user = a.slice(2);
    else if (a === '-X' || a === '--request') r.method = (next() ?? '').toUpperCase();
    else if (a.startsWith('-X')) r.method = a.slice(2).toUpperCase();
    else if (a === '-H' || a === '--header') r.headers.push(next() ?? '');
    else if (a === '-d' || a === '--data' || a === '--data-raw' || a === '--data-binary') r.data = (r.data === null ? '' : `${r.data}&`) + (next() ?? '');
    else if (a.startsWith('-') && a.length > 1) return `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`;
    else r.url = a;
  }
  if (r.url === '') return "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n";
  if (r.method === '') r.method = r.data === null ? 'GET' : 'POST';
  return r;
}

/** curl: its arguments in; the response (with -i, its status line and headers) out. */
export async function curl(host: ApiHost, args: readonly string[]): Promise<ProgramResult> {
  const request = parseCurl(args);
  if (typeof request === 'string') return failed(request, 2);
  const url = /^(?:http:\/\/)?(localhost|127\.0\.0\.1)(?::(\d+))?(\/[^?#]*)?(?:\?([^#]*))?/.exec(request.url);
  if (!url) {
    const hostName = /^(?:\w+:\/\/)?([^/:]+)/.exec(request.url)?.[1] ?? request.url;
    return failed(`curl: (6) Could not resolve host: ${hostName}\n`, 6);
  }
  if ((url[2] ?? '80') !== '15672') return failed(`curl: (7) Failed to connect to ${url[1]} port ${url[2] ?? '80'} after 0 ms: Couldn't connect to server\n`, 7);
  const path = url[3] ?? '/';
  const query = new URLSearchParams(url[4] ?? '');
  const response = await respond(host, request, path, query);
  return ok(render(host, request, response));
}

const ok = (stdout: string): ProgramResult => ({ stdout, stderr: '', status: 0 });

function render(host: ApiHost, request: CurlRequest, r: Response): string {
  const body = r.body === undefined ? '' : JSON.stringify(r.body);
  if (!request.include) return body;
  const headers: [string, string][] = [
    ...Object.entries(r.headers ?? {}),
    ['allow', r.allow ?? 'HEAD, GET, OPTIONS'],
    ['cache-control', r.status === 200 ? 'no-cache' : 'public, max-age=0, must-revalidate'],
    ...(r.status === 204 ? [] : [['content-length', String(new TextEncoder().encode(body).length)] as [string, string]]),
    ['content-security-policy', "script-src 'self'; object-src 'self'"],
    ...(body === '' ? [] : [['content-type', 'application/json'] as [string, string]]),
    ['date', host.date()],
    ['server', 'Cowboy'],
    ['vary', 'accept, accept-encoding, origin'],
  ];
  return `HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? ''}\n${headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`;
}

/**
 * One request to the API, as an HTTP client other than curl makes it (rabbitmqadmin): the
 * path with its query, authenticated, and the body as JSON text.
 */
export function apiRequest(host: ApiHost, method: string, pathAndQuery: string, body: string | null, user = 'guest:guest'): Promise<Response> {
  const [path, query] = pathAndQuery.split('?', 2) as [string, string | undefined];
  return respond(host, { method, url: pathAndQuery, user, include: false, data: body, headers: [] }, path, new URLSearchParams(query ?? ''));
}

async function respond(host: ApiHost, request: CurlRequest, path: string, query: URLSearchParams): Promise<Response> {
  const [user, password] = (request.user ?? '').split(/:(.*)/s);
  if (request.user === null || USERS[user ?? ''] === undefined || USERS[user!] !== password) {
    return { status: 401, body: { error: 'not_authorized', reason: 'Not_Authorized' }, headers: { 'www-authenticate': 'Basic realm="RabbitMQ Management"' } };
  }
  if (!path.startsWith('/api/')) return notFound();
  const raw = path.slice('/api/'.length).split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  const parts = raw.map(decodeSegment);
  if (parts.some((p) => p === null)) return badRequest('bad path');
  const [resource, ...rest] = parts as string[];
  let body: unknown = undefined;
  if (request.data !== null && request.data !== '') {
    try {
      body = JSON.parse(request.data);
    } catch {
      // 4.3.6's words: the definitions import has its own.
      return badRequest(resource === 'definitions' ? 'failed_to_parse_json' : 'not_json');
    }
    if (!isTable(body) && resource !== 'definitions') return badRequest('not_json');
  }
  const snapshot = host.inspect();
  switch (resource) {
    case 'overview':
      return request.method === 'GET' ? { status: 200, body: overview(snapshot) } : methodNotAllowed();
    case 'vhosts':
      return request.method === 'GET' ? { status: 200, body: snapshot.vhosts.map((name) => ({ name, description: '', tags: [], default_queue_type: 'classic', tracing: false })) } : methodNotAllowed();
    case 'queues':
      return queues(host, snapshot, request.method, rest, body, query);
    case 'exchanges':
      return exchanges(host, snapshot, request.method, rest, body);
    case 'bindings':
      // A binding's properties_key is compared as the path has it, before decoding (as 4.3.6 does).
      return bindings(host, snapshot, request.method, rest, body, raw[6]);
    case 'connections':
      return request.method === 'GET' ? { status: 200, body: snapshot.connections.map((c) => ({ name: c.name, user: c.user, vhost: c.vhost, state: c.state, channels: c.channels, node: 'rabbit@localhost', protocol: 'AMQP 0-9-1', peer_host: '127.0.0.1', send_cnt: c.send_cnt, recv_cnt: c.recv_cnt })) } : methodNotAllowed();
    case 'channels':
      return request.method === 'GET' ? { status: 200, body: snapshot.channels.map((c) => ({ name: c.name, number: c.number, user: c.user, vhost: c.vhost, consumer_count: c.consumer_count, messages_unacknowledged: c.messages_unacknowledged, prefetch_count: c.prefetch_count, confirm: c.confirm, state: 'running', node: 'rabbit@localhost' })) } : methodNotAllowed();
    case 'definitions':
      return definitions(host, snapshot, request.method, body, request.data);
    case 'consumers':
      return request.method === 'GET'
        ? { status: 200, body: snapshot.consumers.filter((c) => rest[0] === undefined || c.vhost === rest[0]).map((c) => ({ consumer_tag: c.consumer_tag, ack_required: c.ack_required, exclusive: c.exclusive, prefetch_count: c.prefetch_count, active: true, activity_status: 'up', arguments: {}, queue: { name: c.queue_name, vhost: c.vhost }, channel_details: { number: c.channel } })) }
        : methodNotAllowed();
    default:
      return notFound();
  }
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const methodNotAllowed = (): Response => ({ status: 405 });

function overview(s: BrokerSnapshot) {
  const sum = (f: (q: QueueInfo) => number) => s.queues.reduce((n, q) => n + f(q), 0);
  return {
    management_version: VERSION,
    rabbitmq_version: VERSION,
    product_version: VERSION,
    product_name: 'RabbitMQ',
    erlang_version: '29.1.1',
    cluster_name: 'rabbit@localhost',
    node: 'rabbit@localhost',
    object_totals: { channels: s.channels.length, connections: s.connections.length, consumers: s.consumers.length, exchanges: s.exchanges.length, queues: s.queues.length },
    queue_totals: { messages: sum((q) => q.messages), messages_ready: sum((q) => q.messages_ready), messages_unacknowledged: sum((q) => q.messages_unacknowledged) },
    listeners: [
      { node: 'rabbit@localhost', protocol: 'amqp', ip_address: '127.0.0.1', port: 5672 },
      { node: 'rabbit@localhost', protocol: 'http', ip_address: '127.0.0.1', port: 15672 },
    ],
  };
}

function queueJson(q: QueueInfo) {
  return {
    arguments: plain({ 'x-queue-type': q.type, ...q.arguments }),
    auto_delete: q.auto_delete,
    consumers: q.consumers,
    durable: q.durable,
    exclusive: q.exclusive,
    messages: q.messages,
    messages_ready: q.messages_ready,
    messages_unacknowledged: q.messages_unacknowledged,
    name: q.name,
    node: 'rabbit@localhost',
    state: q.state,
    type: q.type,
    vhost: q.vhost,
  };
}

/** The reply text of a broker refusal, without its `NAME - ` prefix, and its name. */
function refusal(error: unknown): { name: string; text: string } {
  const message = error instanceof Error ? error.message : String(error);
  const m = /"([A-Z_]+) - (.*)"$/s.exec(message);
  return m ? { name: m[1]!, text: m[2]! } : { name: 'INTERNAL_ERROR', text: message };
}

/** Runs changes on a connection of its own, closed after; a refusal becomes the API's answer. */
async function onChannel(host: ApiHost, vhost: string, work: (ch: Awaited<ReturnType<Connection['createChannel']>>) => Promise<Response>): Promise<Response> {
  const connection = await host.connect(vhost);
  connection.on('error', () => {});
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    return await work(channel);
  } catch (error) {
    const { name, text } = refusal(error);
    if (name === 'ACCESS_REFUSED') return { status: 401, body: { error: 'not_authorised', reason: 'Access refused.' } };
    if (name === 'NOT_FOUND') return notFound();
    return badRequest(text);
  } finally {
    await connection.close().catch(() => {});
  }
}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flag(body: Record<string, unknown>, key: string, fallback: boolean): boolean | Response {
  const v = body[key];
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  // rabbitmqadmin sends its name=value flags as text.
  if (v === 'true' || v === 'false') return v === 'true';
  return badRequest(['not_boolean', v]);
}

async function queues(host: ApiHost, s: BrokerSnapshot, method: string, rest: string[], body: unknown, query: URLSearchParams): Promise<Response> {
  const [vhost, name, sub] = rest;
  const allow = name === undefined ? 'HEAD, GET, OPTIONS' : 'HEAD, GET, PUT, DELETE, OPTIONS';
  if (vhost !== undefined && !s.vhosts.includes(vhost)) return notFound();
  if (name === undefined) {
    if (method !== 'GET') return { ...methodNotAllowed(), allow };
    return { status: 200, allow, body: s.queues.filter((q) => vhost === undefined || q.vhost === vhost).map(queueJson) };
  }
  const q = s.queues.find((row) => row.vhost === vhost && row.name === name);
  if (sub === 'contents') {
    if (method !== 'DELETE') return { ...methodNotAllowed(), allow: 'DELETE, OPTIONS' };
    if (!q) return notFound();
    await host.purgeQueue(vhost!, name);
    return { status: 204, allow: 'DELETE, OPTIONS' };
  }
  if (sub === 'get') {
    if (method !== 'POST') return { ...methodNotAllowed(), allow: 'POST, OPTIONS' };
    if (!q) return notFound();
    return getMessages(host, vhost!, name, body);
  }
  if (sub !== undefined) return notFound();
  switch (method) {
    case 'GET':
      return q ? { status: 200, allow, body: queueJson(q) } : { ...notFound(), allow };
    case 'PUT': {
      const b = isTable(body) ? body : {};
      const durable = flag(b, 'durable', true);
      const autoDelete = flag(b, 'auto_delete', false);
      if (typeof durable !== 'boolean') return durable;
      if (typeof autoDelete !== 'boolean') return autoDelete;
      const args = b.arguments === undefined ? {} : b.arguments;
      if (!isTable(args)) return badRequest(['not_table', args]);
      const response = await onChannel(host, vhost!, async (ch) => {
        await ch.assertQueue(name, { durable, autoDelete, arguments: args });
        return { status: q ? 204 : 201 };
      });
      return { ...response, allow };
    }
    case 'DELETE': {
      if (!q) return { ...notFound(), allow };
      try {
        await host.deleteQueue(vhost!, name, { ifEmpty: query.get('if-empty') === 'true', ifUnused: query.get('if-unused') === 'true' });
      } catch (error) {
        return badRequest(refusal(error).text);
      }
      return { status: 204, allow };
    }
    default:
      return { ...methodNotAllowed(), allow };
  }
}

async function getMessages(host: ApiHost, vhost: string, queue: string, body: unknown): Promise<Response> {
  const b = isTable(body) ? body : {};
  const count = typeof b.count === 'number' ? b.count : 1;
  const ackmode = typeof b.ackmode === 'string' ? b.ackmode : 'ack_requeue_true';
  if (!['ack_requeue_true', 'ack_requeue_false', 'reject_requeue_true', 'reject_requeue_false'].includes(ackmode)) return badRequest(`Unknown ackmode: ${ackmode}`);
  return onChannel(host, vhost, async (ch) => {
    const out: unknown[] = [];
    const taken = [];
    for (let i = 0; i < count; i++) {
      const msg = await ch.get(queue, { noAck: false });
      if (!msg) break;
      taken.push(msg);
      const text = new TextDecoder().decode(msg.content);
      out.push({
        payload_bytes: msg.content.length,
        redelivered: msg.fields.redelivered,
        exchange: msg.fields.exchange,
        routing_key: msg.fields.routingKey,
        message_count: msg.fields.messageCount,
        properties: propertiesJson(msg.properties),
        payload: text,
        payload_encoding: 'string',
      });
    }
    const requeue = ackmode.endsWith('true');
    for (const msg of taken) {
      if (ackmode.startsWith('ack') && !requeue) ch.ack(msg);
      else ch.nack(msg, false, requeue);
    }
    return { status: 200, body: out };
  });
}

/** A message's properties as the API shows them: snake_case, and `[]` when there are none (an empty Erlang list). */
function propertiesJson(properties: Record<string, unknown>): Record<string, unknown> | [] {
  const names = Object.fromEntries(Object.entries(PROPERTY_OPTIONS).map(([api, option]) => [option, api]));
  const empty = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  const shown = Object.entries(properties).filter(([key, v]) => !empty(v) && Object.hasOwn(names, key));
  return shown.length === 0 ? [] : Object.fromEntries(shown.map(([key, v]) => [names[key]!, v]));
}

async function exchanges(host: ApiHost, s: BrokerSnapshot, method: string, rest: string[], body: unknown): Promise<Response> {
  const [vhost, rawName, sub] = rest;
  // The default exchange is `amq.default` in the API's paths.
  const name = rawName === 'amq.default' ? '' : rawName;
  const allow = name === undefined ? 'HEAD, GET, OPTIONS' : 'HEAD, GET, PUT, DELETE, OPTIONS';
  if (vhost !== undefined && !s.vhosts.includes(vhost)) return notFound();
  const json = (x: (typeof s.exchanges)[number]) => ({ arguments: plain(x.arguments), auto_delete: x.auto_delete, durable: x.durable, internal: x.internal, name: x.name, type: x.type, user_who_performed_action: 'rmq-internal', vhost: x.vhost });
  if (name === undefined) {
    if (method !== 'GET') return { ...methodNotAllowed(), allow };
    return { status: 200, allow, body: s.exchanges.filter((x) => vhost === undefined || x.vhost === vhost).map(json) };
  }
  const x = s.exchanges.find((row) => row.vhost === vhost && row.name === name);
  if (sub === 'publish') {
    if (method !== 'POST') return { ...methodNotAllowed(), allow: 'POST, OPTIONS' };
    if (!x) return notFound();
    const b = isTable(body) ? body : {};
    if (typeof b.routing_key !== 'string' || typeof b.payload !== 'string' || !isTable(b.properties) || (b.payload_encoding !== 'string' && b.payload_encoding !== 'base64')) {
      return badRequest('properties, routing_key, payload and payload_encoding are required');
    }
    const bytes = b.payload_encoding === 'base64' ? Uint8Array.from(atob(b.payload), (c) => c.charCodeAt(0)) : new TextEncoder().encode(b.payload);
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(b.properties)) {
      if (!Object.hasOwn(PROPERTY_OPTIONS, key)) return badRequest(`Unknown message property: ${key}`);
      options[PROPERTY_OPTIONS[key]!] = value;
    }
    const routingKey = b.routing_key;
    const headers = isTable(options.headers) ? options.headers : undefined;
    const routed = host.routes(vhost!, name, routingKey, headers);
    return onChannel(host, vhost!, async (ch) => {
      ch.publish(name, routingKey, bytes, options);
      // A round trip: the publish has been handled (or refused) by then.
      await ch.checkExchange(name === '' ? 'amq.direct' : name);
      return { status: 200, body: { routed } };
    });
  }
  if (sub !== undefined) return notFound();
  switch (method) {
    case 'GET':
      return x ? { status: 200, allow, body: { ...json(x), incoming: [], outgoing: [] } } : notFound();
    case 'PUT': {
      const b = isTable(body) ? body : {};
      if (typeof b.type !== 'string') return badRequest('type is required');
      const flags = { durable: flag(b, 'durable', true), autoDelete: flag(b, 'auto_delete', false), internal: flag(b, 'internal', false) };
      for (const v of Object.values(flags)) if (typeof v !== 'boolean') return v;
      const args = b.arguments === undefined ? {} : b.arguments;
      if (!isTable(args)) return badRequest(['not_table', args]);
      const response = await onChannel(host, vhost!, async (ch) => {
        await ch.assertExchange(name, b.type as string, { durable: flags.durable as boolean, autoDelete: flags.autoDelete as boolean, internal: flags.internal as boolean, arguments: args });
        return { status: x ? 204 : 201 };
      });
      return { ...response, allow };
    }
    case 'DELETE': {
      if (!x) return notFound();
      const response = await onChannel(host, vhost!, async (ch) => {
        await ch.deleteExchange(name);
        return { status: 204 };
      });
      return { ...response, allow };
    }
    default:
      return { ...methodNotAllowed(), allow };
  }
}

/**
 * The API's key for a binding (`properties_key`): its routing key URL-quoted (`~` too), then,
 * when it has arguments, `~` and a short hash of them (not RabbitMQ's hash: its own key for the
 * same binding differs there); `~` alone for an empty key. A path names the binding by this key
 * as it is (`audit.%23` for `audit.#`).
 */
function propertiesKey(routingKey: string, args: Record<string, unknown>): string {
  const key = encodeURIComponent(routingKey).replace(/%20/g, '+').replace(/~/g, '%7E').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (Object.keys(args).length === 0) return key === '' ? '~' : key;
  let h = 0;
  const text = JSON.stringify(args);
  for (let i = 0; i < text.length; i++) h = (h * 33 + text.charCodeAt(i)) >>> 0;
  return `${key}~${h.toString(36)}`;
}

async function bindings(host: ApiHost, s: BrokerSnapshot, method: string, rest: string[], body: unknown, props: string | undefined): Promise<Response> {
  const [vhost, sourceKind, source, destinationKind, destination] = rest;
  if (vhost !== undefined && !s.vhosts.includes(vhost)) return notFound();
  const json = (b: (typeof s.bindings)[number]) => ({
    source: b.source_name,
    vhost: b.vhost,
    destination: b.destination_name,
    destination_type: b.destination_kind,
    routing_key: b.routing_key,
    arguments: plain(b.arguments),
    properties_key: propertiesKey(b.routing_key, b.arguments),
  });
  const all = s.bindings.filter((b) => vhost === undefined || b.vhost === vhost);
  if (sourceKind === undefined) return method === 'GET' ? { status: 200, body: all.map(json) } : methodNotAllowed();
  const kinds: Record<string, 'queue' | 'exchange'> = { q: 'queue', e: 'exchange' };
  const kind = destinationKind === undefined ? undefined : kinds[destinationKind];
  if (sourceKind !== 'e' || source === undefined || kind === undefined || destination === undefined) return notFound();
  const sourceName = source === 'amq.default' ? '' : source;
  const exists = s.exchanges.some((x) => x.vhost === vhost && x.name === sourceName) && (kind === 'queue' ? s.queues.some((q) => q.vhost === vhost && q.name === destination) : s.exchanges.some((x) => x.vhost === vhost && x.name === destination));
  if (!exists) return notFound();
  const between = all.filter((b) => b.source_name === sourceName && b.destination_kind === kind && b.destination_name === destination);
  if (props === undefined) {
    if (method === 'GET') return { status: 200, body: between.map(json) };
    if (method !== 'POST') return { ...methodNotAllowed(), allow: 'HEAD, GET, POST, OPTIONS' };
    const b = isTable(body) ? body : {};
    const routingKey = b.routing_key === undefined ? '' : b.routing_key;
    const args = b.arguments === undefined ? {} : b.arguments;
    if (typeof routingKey !== 'string') return badRequest(['not_string', routingKey]);
    if (!isTable(args)) return badRequest(['not_table', args]);
    return onChannel(host, vhost!, async (ch) => {
      if (kind === 'queue') await ch.bindQueue(destination, sourceName, routingKey, args);
      else await ch.bindExchange(destination, sourceName, routingKey, args);
      const location = `../../../../${encodeURIComponent(vhost!).toUpperCase() === '%2F' ? '%2F' : encodeURIComponent(vhost!)}/e/${encodeURIComponent(source)}/${destinationKind}/${encodeURIComponent(destination)}/${propertiesKey(routingKey, args)}`;
      return { status: 201, headers: { location } };
    });
  }
  const found = between.find((b) => propertiesKey(b.routing_key, b.arguments) === props);
  if (!found) return notFound();
  if (method === 'GET') return { status: 200, body: json(found), allow: 'HEAD, GET, DELETE, OPTIONS' };
  if (method !== 'DELETE') return { ...methodNotAllowed(), allow: 'HEAD, GET, DELETE, OPTIONS' };
  return onChannel(host, vhost!, async (ch) => {
    if (kind === 'queue') await ch.unbindQueue(destination, sourceName, found.routing_key, found.arguments);
    else await ch.unbindExchange(destination, sourceName, found.routing_key, found.arguments);
    return { status: 204, allow: 'HEAD, GET, DELETE, OPTIONS' };
  });
}

/**
 * GET the broker's definitions; POST some to import. As 4.3.6: what already exists is kept as
 * it is (even when declared otherwise), and a binding whose ends are missing refuses the whole
 * import with its Erlang reason.
 */
async function definitions(host: ApiHost, s: BrokerSnapshot, method: string, body: unknown, raw: string | null): Promise<Response> {
  const allow = 'HEAD, GET, POST, OPTIONS';
  if (method === 'GET') return { status: 200, allow, body: definitionsOf(s) };
  if (method !== 'POST') return { ...methodNotAllowed(), allow };
  if (raw === null || !isTable(body)) return { ...badRequest('failed_to_parse_json'), allow };
  const list = (key: string) => (Array.isArray(body[key]) ? (body[key] as unknown[]).filter(isTable) : []);
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  const exists = (vhost: string, kind: 'queue' | 'exchange', name: string, after: BrokerSnapshot) =>
    kind === 'queue' ? after.queues.some((q) => q.vhost === vhost && q.name === name) : after.exchanges.some((x) => x.vhost === vhost && x.name === name);
  const missing: string[] = [];
  for (const b of list('bindings')) {
    const vhost = str(b.vhost, '/');
    const kind = b.destination_type === 'exchange' ? 'exchange' : 'queue';
    const declared = (k: 'queue' | 'exchange', name: string) => list(k === 'queue' ? 'queues' : 'exchanges').some((e) => str(e.name) === name && str(e.vhost, '/') === vhost);
    for (const [k, name] of [['exchange', str(b.source)], [kind, str(b.destination)]] as const) {
      if (!exists(vhost, k, name, s) && !declared(k, name)) missing.push(`{not_found,{resource,<<${JSON.stringify(vhost)}>>,${k},<<${JSON.stringify(name)}>>}}`);
    }
  }
  if (missing.length > 0) return { ...badRequest(`{resources_missing,[${missing.join(',')}]}`), allow };
  for (const vhost of s.vhosts) {
    const here = <T extends Record<string, unknown>>(rows: T[]) => rows.filter((r) => str(r.vhost, '/') === vhost);
    const response = await onChannel(host, vhost, async (ch) => {
      for (const x of here(list('exchanges'))) {
        if (exists(vhost, 'exchange', str(x.name), s)) continue;
        await ch.assertExchange(str(x.name), str(x.type, 'direct'), { durable: x.durable !== false, autoDelete: x.auto_delete === true, internal: x.internal === true, arguments: isTable(x.arguments) ? x.arguments : {} });
      }
      for (const q of here(list('queues'))) {
        if (exists(vhost, 'queue', str(q.name), s)) continue;
        await ch.assertQueue(str(q.name), { durable: q.durable !== false, autoDelete: q.auto_delete === true, arguments: isTable(q.arguments) ? q.arguments : {} });
      }
      for (const b of here(list('bindings'))) {
        const args = isTable(b.arguments) ? b.arguments : {};
        if (b.destination_type === 'exchange') await ch.bindExchange(str(b.destination), str(b.source), str(b.routing_key), args);
        else await ch.bindQueue(str(b.destination), str(b.source), str(b.routing_key), args);
      }
      return { status: 204 };
    });
    if (response.status !== 204) return { ...response, allow };
  }
  return { status: 204, allow };
}
