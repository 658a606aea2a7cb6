/**
 * The broker's definitions as `rabbitmqctl export_definitions` and `GET /api/definitions`
 * give them (4.3.6's shape): users, vhosts, permissions, and the exchanges, queues and bindings
 * a client declared. Built-in exchanges (but amq.rabbitmq.log, which 4.3.6 lists), exclusive
 * queues and the default exchange's implicit bindings are left out, as there.
 */

import type { BrokerSnapshot } from '../inspect';

/** Lossless field-table JSON (`{"$long": 1}`) as plain JSON. */
export function plainJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0]!.startsWith('$')) return (value as Record<string, unknown>)[keys[0]!];
  return Object.fromEntries(keys.map((k) => [k, plainJson((value as Record<string, unknown>)[k])]));
}

export function definitionsOf(s: BrokerSnapshot) {
  const plainArgs = (json: Record<string, unknown>) => plainJson(json) as Record<string, unknown>;
  return {
    rabbit_version: '4.3.6',
    rabbitmq_version: '4.3.6',
    users: [{ name: 'guest', tags: ['administrator'], limits: {} }],
    vhosts: s.vhosts.map((name) => ({ name, limits: {}, metadata: { description: name === '/' ? 'Default virtual host' : '', tags: [], default_queue_type: 'classic' } })),
    permissions: s.vhosts.map((vhost) => ({ user: 'guest', vhost, configure: '.*', write: '.*', read: '.*' })),
    topic_permissions: [],
    parameters: [],
    global_parameters: [{ name: 'cluster_tags', value: [] }],
    policies: [],
    queues: s.queues.filter((q) => !q.exclusive).map((q) => ({ name: q.name, vhost: q.vhost, durable: q.durable, auto_delete: q.auto_delete, type: q.type, arguments: plainArgs({ 'x-queue-type': q.type, ...q.arguments }) })),
    exchanges: s.exchanges
      .filter((x) => x.name !== '' && (!x.name.startsWith('amq.') || x.name === 'amq.rabbitmq.log'))
      .map((x) => ({ name: x.name, vhost: x.vhost, type: x.type, durable: x.durable, auto_delete: x.auto_delete, internal: x.internal, arguments: plainArgs(x.arguments) })),
    bindings: s.bindings
      .filter((b) => b.source_name !== '')
      .map((b) => ({ source: b.source_name, vhost: b.vhost, destination: b.destination_name, destination_type: b.destination_kind, routing_key: b.routing_key, arguments: plainArgs(b.arguments) })),
  };
}
