/**
 * The "commands" log: what each gesture on the canvas does to the broker, written as the
 * `rabbitmqadmin` command and the amqplib code that would do the same, so what someone builds
 * here can be replayed on a real broker. Topology changes come from the document's own diff
 * (topology.ts: the ops the worker applies); publishes from the producer's template.
 */

import { exportTable } from '../../document/definition-values';
import { canonicalJson } from '../../document/json';
import { diffTopology, topologyOf, type TopologyOp } from '../../document/topology';
import type { Diagram, JsonTable, MessageTemplate } from '../../document/types';

export interface CommandEntry {
  id: number;
  /** What happened, in a few words. */
  what: string;
  admin: string;
  amqplib: string;
  /** How many times in a row (a burst of publishes is one entry). */
  times: number;
}

/** A shell word: bare when safe, else single-quoted. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A JS string literal. */
const js = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** An arguments table of the document as RabbitMQ's JSON holds it (`{"$long": 5}` → 5). */
const plain = (table: JsonTable) => exportTable(table, '', []);
/** A publish property as RabbitMQ's JSON holds it: only headers are a table. */
const property = (key: string, value: unknown) => (key === 'headers' && typeof value === 'object' && value !== null ? plain(value as JsonTable) : value);

const args = (table: JsonTable) => (Object.keys(table).length === 0 ? '' : ` arguments=${sh(JSON.stringify(plain(table)))}`);
const options = (fields: Record<string, unknown>) => {
  const shown = Object.entries(fields).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0));
  return shown.length === 0 ? '' : `, ${canonicalJson(Object.fromEntries(shown))}`;
};

/** One topology op as the two commands. */
export function opCommands(op: TopologyOp): Omit<CommandEntry, 'id' | 'times'> {
  switch (op.op) {
    case 'declareExchange':
      return {
        what: `declare exchange ${op.name}`,
        admin: `rabbitmqadmin declare exchange name=${sh(op.name)} type=${op.type} durable=${op.durable}${op.autoDelete ? ' auto_delete=true' : ''}${op.internal ? ' internal=true' : ''}${args(op.arguments)}`,
        amqplib: `await channel.assertExchange(${js(op.name)}, ${js(op.type)}${options({ durable: op.durable, autoDelete: op.autoDelete || undefined, internal: op.internal || undefined, arguments: plain(op.arguments) })});`,
      };
    case 'deleteExchange':
      return { what: `delete exchange ${op.name}`, admin: `rabbitmqadmin delete exchange name=${sh(op.name)}`, amqplib: `await channel.deleteExchange(${js(op.name)});` };
    case 'declareQueue':
      return {
        what: `declare queue ${op.name}`,
        admin: `rabbitmqadmin declare queue name=${sh(op.name)} durable=${op.durable}${op.autoDelete ? ' auto_delete=true' : ''}${args(op.arguments)}`,
        amqplib: `await channel.assertQueue(${js(op.name)}${options({ durable: op.durable, exclusive: op.exclusive || undefined, autoDelete: op.autoDelete || undefined, arguments: plain(op.arguments) })});`,
      };
    case 'deleteQueue':
      return { what: `delete queue ${op.name}`, admin: `rabbitmqadmin delete queue name=${sh(op.name)}`, amqplib: `await channel.deleteQueue(${js(op.name)});` };
    case 'bind':
    case 'unbind': {
      const verb = op.op === 'bind' ? 'bind' : 'unbind';
      const call = `${verb}${op.destinationKind === 'queue' ? 'Queue' : 'Exchange'}`;
      const extra = Object.keys(op.arguments).length === 0 ? '' : `, ${canonicalJson(plain(op.arguments))}`;
      const admin =
        op.op === 'bind'
          ? `rabbitmqadmin declare binding source=${sh(op.source)} destination=${sh(op.destination)}${op.destinationKind === 'exchange' ? ' destination_type=exchange' : ''} routing_key=${sh(op.routingKey)}${args(op.arguments)}`
          : `rabbitmqadmin delete binding source=${sh(op.source)} destination=${sh(op.destination)} destination_type=${op.destinationKind} properties_key=${sh(encodeURIComponent(op.routingKey) || '~')}`;
      return {
        what: `${verb} ${op.source} → ${op.destination}${op.routingKey === '' ? '' : ` (${op.routingKey})`}`,
        admin,
        amqplib: `await channel.${call}(${js(op.destination)}, ${js(op.source)}, ${js(op.routingKey)}${extra});`,
      };
    }
  }
}

/** The commands that turn the broker of `before` into the broker of `after`. */
export function topologyCommands(before: Diagram, after: Diagram): Omit<CommandEntry, 'id' | 'times'>[] {
  return [...diffTopology(topologyOf(before), topologyOf(after)).map(opCommands), ...serverNamedCommands(before, after)];
}

/** rabbitmqadmin's line for what only a client can do. */
const CLIENT_ONLY = "# rabbitmqadmin cannot: a server-named queue is declared by a client, with the name ''";

/**
 * Server-named queues (name ''), which the topology diff leaves out: declared by a client with
 * the empty name, bound and deleted by the name the broker gave (`queue` in the code).
 */
function serverNamedCommands(before: Diagram, after: Diagram): Omit<CommandEntry, 'id' | 'times'>[] {
  const serverNamed = (d: Diagram) => new Map(d.nodes.filter((n) => n.kind === 'queue' && n.name === '').map((n) => [n.id, n]));
  const [was, now] = [serverNamed(before), serverNamed(after)];
  const exchangeName = (d: Diagram, id: string) => d.nodes.find((n) => n.id === id && n.kind === 'exchange')?.name;
  const oldEdges = new Set(before.bindings.map((b) => b.id));
  const out: Omit<CommandEntry, 'id' | 'times'>[] = [];
  for (const [id, q] of now) {
    if (q.kind !== 'queue' || was.has(id)) continue;
    out.push({
      what: 'declare a server-named queue',
      admin: CLIENT_ONLY,
      amqplib: `const { queue } = await channel.assertQueue(''${options({ durable: q.durable || undefined, exclusive: q.exclusive || undefined, autoDelete: q.autoDelete || undefined, arguments: plain(q.arguments) })});`,
    });
  }
  for (const b of after.bindings) {
    const source = exchangeName(after, b.source);
    if (oldEdges.has(b.id) || !now.has(b.destination.id) || source === undefined) continue;
    const extra = Object.keys(b.arguments).length === 0 ? '' : `, ${canonicalJson(plain(b.arguments))}`;
    out.push({ what: `bind ${source} → the server-named queue`, admin: CLIENT_ONLY, amqplib: `await channel.bindQueue(queue, ${js(source)}, ${js(b.routingKey)}${extra});` });
  }
  for (const id of was.keys()) {
    if (!now.has(id)) out.push({ what: 'delete the server-named queue', admin: CLIENT_ONLY, amqplib: 'await channel.deleteQueue(queue);' });
  }
  return out;
}

/** The API's names of amqplib's publish options, for rabbitmqadmin's properties=. */
const API_PROPERTY: Record<string, string> = {
  contentType: 'content_type',
  contentEncoding: 'content_encoding',
  headers: 'headers',
  deliveryMode: 'delivery_mode',
  priority: 'priority',
  correlationId: 'correlation_id',
  replyTo: 'reply_to',
  expiration: 'expiration',
  messageId: 'message_id',
  timestamp: 'timestamp',
  type: 'type',
  userId: 'user_id',
  appId: 'app_id',
};

/** A producer's publish as the two commands. */
export function publishCommands(exchange: string, routingKey: string, message: MessageTemplate): Omit<CommandEntry, 'id' | 'times'> {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.properties)) {
    if (key === 'persistent') {
      if (value === true) props.delivery_mode = 2;
    } else if (Object.hasOwn(API_PROPERTY, key) && value !== undefined) props[API_PROPERTY[key]!] = property(key, value);
  }
  const properties = Object.keys(props).length === 0 ? '' : ` properties=${sh(JSON.stringify(props))}`;
  const jsOptions = Object.fromEntries(Object.entries(message.properties).filter(([, v]) => v !== undefined).map(([k, v]) => [k, property(k, v)]));
  return {
    what: `publish to ${exchange === '' ? 'the default exchange' : exchange}${routingKey === '' ? '' : ` (${routingKey})`}`,
    admin: `rabbitmqadmin publish exchange=${exchange === '' ? 'amq.default' : sh(exchange)} routing_key=${sh(routingKey)} payload=${sh(message.body)}${properties}`,
    amqplib: `channel.publish(${js(exchange)}, ${js(routingKey)}, Buffer.from(${js(message.body)})${options(jsOptions)});`,
  };
}
