/**
 * RabbitMQ definitions to and from diagrams: a realistic management-UI export (several vhosts,
 * users, permissions, policies, a headers binding, an exchange-to-exchange binding, a binding
 * from amq.topic, an unsupported exchange type), the report, refusals of hostile or huge
 * files, policy resolution as RabbitMQ 4.3 does it, the policy pattern matcher against
 * JavaScript's RegExp, and the pure round trip export → import → same topology.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBinding, addNodes, unwrap, type Action, type NodeDraft } from '../../src/document/actions';
import { SUPPORTED_QUEUE_ARGUMENTS } from '../../src/broker/queue-args';
import { compilePattern } from '../../src/document/definitions-policies';
import {
  DEFINITIONS_LIMITS,
  exportDefinitions,
  importColumns,
  importDefinitions,
  QUEUE_ARGUMENTS,
  IMPORT_NODE_SIZE,
  type ImportReport,
} from '../../src/document/definitions';
import { emptyDiagram } from '../../src/document/diagram';
import { topologyOf } from '../../src/document/topology';
import type { Diagram, ExchangeType } from '../../src/document/types';
import { EXCHANGE_TYPES, validateDiagram } from '../../src/document/validate';
import { exampleDiagram } from '../../src/ui/canvas/example';

// -------------------------------------------------------------------- fixtures ---

const durable = { durable: true, auto_delete: false };

/** GET /api/definitions of a small shop's cluster, in RabbitMQ 4.3.6's shape (entries carry `vhost`). */
function managementExport() {
  return {
    rabbit_version: '4.3.6',
    rabbitmq_version: '4.3.6',
    product_name: 'RabbitMQ',
    product_version: '4.3.6',
    rabbitmq_definition_format: 'cluster',
    original_cluster_name: 'rabbit@shop-1',
    explanation: "Definitions of cluster 'rabbit@shop-1'",
    users: [
      { name: 'guest', password_hash: 'x1', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'], limits: {} },
      { name: 'shop-app', password_hash: 'x2', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: [], limits: {} },
    ],
    vhosts: [
      { name: '/', limits: {}, metadata: { description: 'Default virtual host', tags: [], default_queue_type: 'classic' } },
      { name: 'shop', limits: { 'max-connections': 100 }, metadata: { description: '', tags: [], default_queue_type: 'classic' } },
      { name: 'billing', limits: {}, metadata: { description: '', tags: [], default_queue_type: 'quorum' } },
    ],
    permissions: [
      { user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' },
      { user: 'guest', vhost: 'shop', configure: '.*', write: '.*', read: '.*' },
      { user: 'shop-app', vhost: 'shop', configure: '', write: '.*', read: '.*' },
    ],
    topic_permissions: [{ user: 'shop-app', vhost: 'shop', exchange: 'amq.topic', write: '^orders', read: '.*' }],
    parameters: [{ value: { uri: 'amqp://origin' }, vhost: 'shop', component: 'federation-upstream', name: 'origin' }],
    global_parameters: [
      { name: 'cluster_tags', value: [] },
      { name: 'internal_cluster_id', value: 'rabbitmq-cluster-id-abc' },
    ],
    policies: [
      { vhost: 'shop', name: 'orders-dlx-ttl', pattern: '^orders\\.', 'apply-to': 'queues', definition: { 'dead-letter-exchange': 'dlx', 'message-ttl': 60000 }, priority: 5 },
      { vhost: 'shop', name: 'lazy-everything', pattern: '.*', 'apply-to': 'all', definition: { 'queue-mode': 'lazy' }, priority: 0 },
      { vhost: 'billing', name: 'billing-limit', pattern: '.*', 'apply-to': 'queues', definition: { 'max-length': 1000 }, priority: 1 },
    ],
    queues: [
      { name: 'orders.created', vhost: 'shop', type: 'classic', ...durable, arguments: { 'x-queue-type': 'classic' } },
      {
        name: 'orders.failed',
        vhost: 'shop',
        type: 'quorum',
        ...durable,
        arguments: { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': 'orders.retry', 'x-delivery-limit': 5, 'x-message-ttl': 30000 },
      },
      { name: 'dead-letters', vhost: 'shop', type: 'classic', ...durable, arguments: { 'x-queue-type': 'classic' } },
      { name: 'audit.log', vhost: 'shop', type: 'stream', ...durable, arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' } },
      { name: 'hashed', vhost: 'shop', type: 'classic', ...durable, arguments: { 'x-queue-type': 'classic' } },
      { name: 'invoices', vhost: 'billing', type: 'quorum', ...durable, arguments: { 'x-queue-type': 'quorum' } },
      { name: 'payments', vhost: 'billing', ...durable, arguments: {} },
    ],
    exchanges: [
      { name: 'amq.rabbitmq.log', vhost: '/', type: 'topic', ...durable, arguments: {} },
      { name: 'orders', vhost: 'shop', type: 'topic', ...durable, internal: false, arguments: { 'alternate-exchange': 'unrouted' } },
      { name: 'unrouted', vhost: 'shop', type: 'fanout', ...durable, internal: false, arguments: {} },
      { name: 'dlx', vhost: 'shop', type: 'fanout', ...durable, internal: false, arguments: {} },
      { name: 'orders.retry', vhost: 'shop', type: 'direct', ...durable, internal: false, arguments: {} },
      { name: 'audit', vhost: 'shop', type: 'fanout', ...durable, internal: false, arguments: {} },
      { name: 'events', vhost: 'shop', type: 'headers', ...durable, internal: false, arguments: {} },
      { name: 'sharded', vhost: 'shop', type: 'x-consistent-hash', ...durable, internal: false, arguments: {} },
      { name: 'billing', vhost: 'billing', type: 'direct', ...durable, internal: false, arguments: {} },
    ],
    bindings: [
      { source: 'orders', vhost: 'shop', destination: 'orders.created', destination_type: 'queue', routing_key: 'order.created', arguments: {} },
      { source: 'orders', vhost: 'shop', destination: 'orders.failed', destination_type: 'queue', routing_key: 'order.*.failed', arguments: {} },
      { source: 'orders', vhost: 'shop', destination: 'audit', destination_type: 'exchange', routing_key: '#', arguments: {} },
      { source: 'audit', vhost: 'shop', destination: 'audit.log', destination_type: 'queue', routing_key: '', arguments: {} },
      {
        source: 'events',
        vhost: 'shop',
        destination: 'audit.log',
        destination_type: 'queue',
        routing_key: '',
        arguments: { 'x-match': 'all', type: 'refund', priority: 2, tags: [1, 'eu'] },
      },
      { source: 'amq.topic', vhost: 'shop', destination: 'orders.created', destination_type: 'queue', routing_key: 'legacy.order.#', arguments: {} },
      { source: 'dlx', vhost: 'shop', destination: 'dead-letters', destination_type: 'queue', routing_key: '', arguments: {} },
      { source: 'sharded', vhost: 'shop', destination: 'hashed', destination_type: 'queue', routing_key: '1', arguments: {} },
      { source: 'billing', vhost: 'billing', destination: 'invoices', destination_type: 'queue', routing_key: 'invoice', arguments: {} },
    ],
  };
}

/** GET /api/definitions/probe of a real 4.3.6 (trimmed): no `vhost` fields, no `internal`, the internal exchange 'ex.int' left out. */
function singleVhostExport() {
  return {
    description: '',
    metadata: { description: '', tags: [], default_queue_type: 'classic' },
    rabbitmq_version: '4.3.6',
    rabbit_version: '4.3.6',
    limits: {},
    exchanges: [{ arguments: { 'alternate-exchange': 'ae' }, auto_delete: false, durable: true, name: 'ex.topic', type: 'topic' }],
    parameters: [],
    policies: [],
    explanation: "Definitions of virtual host 'probe'",
    original_vhost_name: 'probe',
    rabbitmq_definition_format: 'single_virtual_host',
    queues: [
      { arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000 }, auto_delete: false, durable: true, name: 'q.classic', type: 'classic' },
      { arguments: { 'x-queue-type': 'classic' }, auto_delete: true, durable: false, name: 'q.transient', type: 'classic' },
    ],
    bindings: [
      { arguments: {}, destination: 'ex.int', destination_type: 'exchange', routing_key: 'x.*', source: 'ex.topic' },
      { arguments: {}, destination: 'q.transient', destination_type: 'queue', routing_key: '', source: 'ex.int' },
      { arguments: {}, destination: 'q.classic', destination_type: 'queue', routing_key: 'a.#', source: 'amq.topic' },
    ],
  };
}

function imported(json: unknown, options?: { vhost?: string }): { diagram: Diagram; report: ImportReport } {
  const result = importDefinitions(json, options);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

const node = (d: Diagram, name: string) => d.nodes.find((n) => n.name === name)!;
const joined = (lines: string[]) => lines.join('\n');

// --------------------------------------------------------------------- import ---

describe('importDefinitions: a management UI export of several vhosts', () => {
  it('refuses to guess between vhosts that hold topology, and lists them', () => {
    const result = importDefinitions(managementExport());
    expect(result).toEqual({
      ok: false,
      message: "This file holds several vhosts ('billing' and 'shop'): choose the one to import.",
      vhosts: ['/', 'billing', 'shop'],
    });
  });

  it("imports the chosen vhost's exchanges, queues and bindings by RabbitMQ names", () => {
    const { diagram } = imported(managementExport(), { vhost: 'shop' });
    expect(validateDiagram(diagram)).toEqual([]);
    const t = topologyOf(diagram);
    expect(t.exchanges.map((x) => `${x.name}:${x.type}`)).toEqual(['audit:fanout', 'dlx:fanout', 'events:headers', 'orders:topic', 'orders.retry:direct', 'unrouted:fanout']);
    expect(t.exchanges.find((x) => x.name === 'orders')!.arguments).toEqual({ 'alternate-exchange': 'unrouted' });
    expect(t.queues.map((q) => q.name)).toEqual(['audit.log', 'dead-letters', 'hashed', 'orders.created', 'orders.failed']);
    expect(t.bindings).toHaveLength(7);
    expect(t.bindings).toContainEqual({ source: 'orders', destinationKind: 'exchange', destination: 'audit', routingKey: '#', arguments: {} });
    expect(t.bindings).toContainEqual({ source: 'amq.topic', destinationKind: 'queue', destination: 'orders.created', routingKey: 'legacy.order.#', arguments: {} });
    // The headers binding keeps its arguments; the integer inside the array is a long in RabbitMQ.
    expect(t.bindings).toContainEqual({
      source: 'events',
      destinationKind: 'queue',
      destination: 'audit.log',
      routingKey: '',
      arguments: { 'x-match': 'all', type: 'refund', priority: 2, tags: [{ $long: 1 }, 'eu'] },
    });
    expect(t.bindings.some((b) => b.source === 'sharded' || b.destination === 'hashed')).toBe(false);
  });

  it('adds the built-in exchanges its bindings use, and none other', () => {
    const { diagram, report } = imported(managementExport(), { vhost: 'shop' });
    const amqTopic = node(diagram, 'amq.topic');
    expect(amqTopic).toMatchObject({ kind: 'exchange', type: 'topic', durable: true, internal: false, arguments: {} });
    expect(diagram.nodes.some((n) => n.name === 'amq.rabbitmq.log' || n.name === '')).toBe(false);
    expect(report.counts).toEqual({ exchanges: 7, queues: 5, bindings: 7 });
    expect(report.notes).toContain("Added the built-in exchange 'amq.topic', which is not declared in definitions but is used here.");
  });

  it('applies the DLX/TTL policy to the queues it matches, as RabbitMQ resolves policy and arguments', () => {
    const { diagram, report } = imported(managementExport(), { vhost: 'shop' });
    // A classic queue with neither argument gets both.
    expect(node(diagram, 'orders.created')).toMatchObject({
      arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': 'dlx', 'x-message-ttl': 60000 },
    });
    // A quorum queue keeps its own dead-letter exchange (the argument wins) and its lower TTL (the lower wins).
    expect(node(diagram, 'orders.failed')).toMatchObject({
      arguments: { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': 'orders.retry', 'x-delivery-limit': 5, 'x-message-ttl': 30000 },
    });
    expect(node(diagram, 'dead-letters')).toMatchObject({ arguments: { 'x-queue-type': 'classic' } });
    const note = report.notes.find((n) => n.startsWith("Policy 'orders-dlx-ttl'"))!;
    expect(note).toBe(
      "Policy 'orders-dlx-ttl' (pattern '^orders\\.', apply-to queues, priority 5) applies to queues 'orders.created' and 'orders.failed': " +
        "x-dead-letter-exchange 'dlx', x-message-ttl 60000 written as arguments, since the diagram has no policies. " +
        "'orders.failed' keeps its own x-dead-letter-exchange 'orders.retry' (a queue's argument wins over a policy's dead-letter-exchange); " +
        "'orders.failed' keeps its own x-message-ttl 30000, lower than the policy's 60000 (RabbitMQ uses the lower of the two).",
    );
  });

  it('reports what it skipped: users and the like, unsupported exchange types with their bindings, unmodelled policies', () => {
    const { report } = imported(managementExport(), { vhost: 'shop' });
    expect(report.vhost).toBe('shop');
    expect(report.skipped).toEqual([
      '2 users, 3 permissions, 1 topic permission, 1 parameter, 2 global parameters and the limits of 1 vhost: not part of a routing diagram, so not imported.',
      "Policy 'lazy-everything' (pattern '.*', apply-to all, priority 0) sets only queue-mode, which the playground does not model: skipped.",
      "Exchange 'sharded' is of type x-consistent-hash, which the playground does not simulate: skipped, with its 1 binding.",
    ]);
    expect(report.fixed).toEqual([]);
    expect(report.notes).toContain("This file also has vhosts '/' and 'billing'; import again and choose one to see them.");
    expect(report.notes).toContain('Definitions have no producers or consumers, so the diagram has none: add them to publish and consume.');
  });

  it("gives a queue without x-queue-type the vhost's default queue type, and applies that vhost's policies", () => {
    const { diagram, report } = imported(managementExport(), { vhost: 'billing' });
    expect(node(diagram, 'payments')).toMatchObject({ arguments: { 'x-queue-type': 'quorum', 'x-max-length': 1000 } });
    expect(node(diagram, 'invoices')).toMatchObject({ arguments: { 'x-queue-type': 'quorum', 'x-max-length': 1000 } });
    expect(report.notes).toContain("Queue 'payments' has no x-queue-type, so it gets the vhost's default queue type, quorum, as RabbitMQ would.");
  });

  it('lays the graph out left to right: exchanges nothing routes to first, then by binding depth, queues last', () => {
    const { diagram } = imported(managementExport(), { vhost: 'shop' });
    const column = (name: string) => node(diagram, name).position.x / (IMPORT_NODE_SIZE.width + 110);
    for (const name of ['orders', 'events', 'dlx', 'unrouted', 'orders.retry', 'amq.topic']) expect(column(name)).toBe(0);
    expect(column('audit')).toBe(1);
    for (const name of ['orders.created', 'orders.failed', 'dead-letters', 'audit.log', 'hashed']) expect(column(name)).toBe(2);
    expectNoOverlap(diagram);
    // The same file lays out the same way every time.
    expect(imported(managementExport(), { vhost: 'shop' }).diagram).toEqual(diagram);
  });
});

function expectNoOverlap(diagram: Diagram): void {
  const { width, height } = IMPORT_NODE_SIZE;
  for (const a of diagram.nodes) {
    expect(Number.isInteger(a.position.x) && Number.isInteger(a.position.y)).toBe(true);
    for (const b of diagram.nodes) {
      if (a === b) continue;
      const apart = Math.abs(a.position.x - b.position.x) >= width || Math.abs(a.position.y - b.position.y) >= height;
      expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
    }
  }
}

describe('importDefinitions: a single-vhost export (no vhost fields)', () => {
  it('takes the vhost from original_vhost_name and skips bindings of the internal exchange RabbitMQ left out', () => {
    const { diagram, report } = imported(singleVhostExport());
    expect(report.vhost).toBe('probe');
    const t = topologyOf(diagram);
    expect(t.exchanges).toEqual([{ name: 'ex.topic', type: 'topic', durable: true, autoDelete: false, internal: false, arguments: { 'alternate-exchange': 'ae' } }]);
    expect(t.queues.find((q) => q.name === 'q.transient')).toEqual({ name: 'q.transient', durable: false, exclusive: false, autoDelete: true, arguments: { 'x-queue-type': 'classic' } });
    expect(t.bindings).toEqual([{ source: 'amq.topic', destinationKind: 'queue', destination: 'q.classic', routingKey: 'a.#', arguments: {} }]);
    expect(report.skipped).toEqual([
      "1 binding with a destination exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out) was skipped.",
      "1 binding with a source exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out) was skipped.",
    ]);
  });

  it('uses options.vhost as the name, and "/" when the file names none', () => {
    expect(imported(singleVhostExport(), { vhost: 'staging' }).report.vhost).toBe('staging');
    const { original_vhost_name: _, ...anonymous } = singleVhostExport();
    expect(imported(anonymous).report.vhost).toBe('/');
  });

  it('accepts JSON text as well as a parsed object', () => {
    expect(imported(JSON.stringify(singleVhostExport())).diagram).toEqual(imported(singleVhostExport()).diagram);
  });
});

describe('importDefinitions: built-in exchanges', () => {
  it('adds the default exchange and amq.* ones that dead-letter and alternate exchanges name, so their edges show', () => {
    const { diagram, report } = imported({
      exchanges: [{ name: 'x', type: 'direct', ...durable, arguments: { 'alternate-exchange': 'amq.fanout' } }, { name: 'amq.direct', type: 'direct', ...durable }],
      queues: [{ name: 'q', ...durable, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'retry' } }],
    });
    expect(diagram.nodes.filter((n) => n.kind === 'exchange').map((n) => n.name)).toEqual(['', 'amq.fanout', 'x']);
    expect(report.notes).toContain("Added the built-in exchanges '(the default exchange)' and 'amq.fanout', which are not declared in definitions but are used here.");
    expect(report.skipped).toEqual(["Built-in exchange 'amq.direct': every vhost has it already, and nothing here uses it."]);
    expect(validateDiagram(diagram)).toEqual([]);
  });
});

describe('importDefinitions: refusals', () => {
  it('refuses what is not a JSON object, with the reason', () => {
    expect(importDefinitions('{"queues": [')).toMatchObject({ ok: false, message: expect.stringMatching(/^This is not JSON: /) });
    expect(importDefinitions([])).toEqual({ ok: false, message: 'A definitions file is a JSON object with exchanges, queues and bindings; this is a list.' });
    expect(importDefinitions(null)).toEqual({ ok: false, message: 'A definitions file is a JSON object with exchanges, queues and bindings; this is null.' });
    expect(importDefinitions(42)).toEqual({ ok: false, message: 'A definitions file is a JSON object with exchanges, queues and bindings; this is a number.' });
    expect(importDefinitions({ name: 'not definitions' })).toEqual({
      ok: false,
      message: 'This JSON object has no exchanges, queues, bindings or vhosts: it does not look like RabbitMQ definitions.',
    });
  });

  it('refuses a vhost the file does not have, listing the ones it has', () => {
    expect(importDefinitions(managementExport(), { vhost: 'nope' })).toEqual({
      ok: false,
      message: "This file has no vhost 'nope'; it has '/', 'billing' and 'shop'.",
      vhosts: ['/', 'billing', 'shop'],
    });
  });

  it('refuses more exchanges and queues, or more bindings, than the playground takes', () => {
    const queues = Array.from({ length: DEFINITIONS_LIMITS.entities + 1 }, (_, i) => ({ name: `q${i}`, ...durable, arguments: {} }));
    expect(importDefinitions({ queues })).toEqual({ ok: false, message: "Vhost '/' has 0 exchanges and 501 queues; the playground imports at most 500 in all." });
    const bindings = Array.from({ length: DEFINITIONS_LIMITS.bindings + 1 }, (_, i) => ({ source: 'x', destination: 'q', destination_type: 'queue', routing_key: `${i}` }));
    expect(importDefinitions({ bindings })).toEqual({ ok: false, message: "Vhost '/' has 2001 bindings; the playground imports at most 2000." });
    expect(importDefinitions({ users: { length: 1e9 } })).toMatchObject({ ok: true });
    const huge = { queues: { length: 0 }, bindings: new Array(DEFINITIONS_LIMITS.sectionEntries + 1) };
    expect(importDefinitions(huge)).toEqual({ ok: false, message: 'This file lists 100001 bindings; the playground reads at most 100000 entries per list.' });
  });

  it('never throws, even on an object whose getters throw', () => {
    const evil = {
      get queues(): unknown {
        throw new Error('boom');
      },
    };
    expect(importDefinitions(evil)).toEqual({ ok: false, message: 'The definitions could not be read: boom.' });
  });
});

describe('importDefinitions: untrusted values are dropped or repaired, with a line each', () => {
  it('drops __proto__ and constructor keys without touching any prototype', () => {
    const text =
      '{"queues":[{"name":"q","durable":true,"auto_delete":false,"arguments":{"__proto__":{"polluted":true},"constructor":1,"x-queue-type":"classic"}}],' +
      '"bindings":[{"source":"amq.headers","destination":"q","destination_type":"queue","routing_key":"","arguments":{"x-match":"any","h":{"__proto__":{"polluted":true}}}}]}';
    const { diagram, report } = imported(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const args = (node(diagram, 'q') as { arguments: object }).arguments;
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.keys(args)).toEqual(['x-queue-type']);
    expect(report.fixed).toEqual([
      "Dropped the argument named __proto__ of queue 'q': such keys are never read.",
      "Dropped the argument named constructor of queue 'q': such keys are never read.",
      "Dropped the argument 'h' of the binding from exchange 'amq.headers' to queue 'q': it holds a key named __proto__.",
    ]);
  });

  it('caps nesting, string sizes and names, and drops nulls RabbitMQ would refuse', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 12; i++) deep = [deep];
    const longName = 'n'.repeat(256);
    const { diagram, report } = imported({
      queues: [
        { name: 'q', ...durable, arguments: { 'x-queue-type': 'classic', deep, big: 'b'.repeat(5000), nothing: null, ok: [1, { a: 2.5 }] } },
        { name: longName, ...durable, arguments: {} },
      ],
      bindings: [{ source: 'amq.direct', destination: 'q', destination_type: 'queue', routing_key: 'k'.repeat(256) }],
    });
    expect(node(diagram, 'q')).toMatchObject({ arguments: { 'x-queue-type': 'classic', ok: [{ $long: 1 }, { a: 2.5 }] } });
    expect(diagram.nodes.map((n) => n.name)).toEqual(['q']);
    expect(report.fixed).toEqual([
      "Dropped the argument 'deep' of queue 'q': it is nested more than 8 levels deep.",
      "Dropped the argument 'big' of queue 'q': it holds a string longer than 4096 bytes.",
      "Dropped the argument 'nothing' of queue 'q': it holds a null, which RabbitMQ refuses (null_not_allowed).",
    ]);
    expect(report.skipped).toEqual([
      '1 queue entry without a usable name was skipped.',
      '1 binding with a routing key that is not a string of at most 255 bytes was skipped.',
    ]);
  });

  it('repairs or drops queue arguments RabbitMQ would refuse, and fixes flags a queue type cannot have', () => {
    const { diagram, report } = imported({
      exchanges: [{ name: 'amq.custom', type: 'direct', ...durable }],
      queues: [
        { name: 'a', ...durable, arguments: { 'x-message-ttl': '60000', 'x-max-priority': 300, 'x-dead-letter-routing-key': 'rk', 'x-single-active-consumer': 'true' } },
        { name: 'b', durable: false, auto_delete: true, exclusive: true, arguments: { 'x-queue-type': 'quorum', 'x-max-priority': 5 } },
        { name: 'c', ...durable, arguments: { 'x-queue-type': 'delayed' } },
        { name: 'amq.gen-1', ...durable, arguments: {} },
      ],
      bindings: [{ source: 'amq.fanout', destination: 'c', destination_type: 'queue' }],
    });
    expect(node(diagram, 'a')).toMatchObject({ arguments: { 'x-message-ttl': 60000, 'x-single-active-consumer': true } });
    expect(node(diagram, 'b')).toMatchObject({ durable: true, autoDelete: false, exclusive: false, arguments: { 'x-queue-type': 'quorum' } });
    expect(diagram.nodes.map((n) => n.name).sort()).toEqual(['a', 'b']);
    expect(report.fixed).toEqual([
      "Read x-message-ttl '60000' of queue 'a' as 60000.",
      "Dropped x-max-priority 300 from queue 'a': RabbitMQ refuses that value.",
      "Read x-single-active-consumer 'true' of queue 'a' as true.",
      "Dropped x-dead-letter-routing-key from queue 'a': it has no x-dead-letter-exchange, and RabbitMQ refuses a routing key without one.",
      "Dropped x-max-priority 5 from queue 'b': an argument a quorum queue does not take (RabbitMQ would refuse the queue).",
      "Made queue 'b' durable and not auto-delete: a quorum queue cannot be otherwise (RabbitMQ would refuse it).",
      "Queue 'b' is marked exclusive; RabbitMQ's import ignores that flag, so it is a plain queue here.",
    ]);
    expect(report.skipped).toEqual([
      "Exchange 'amq.custom': RabbitMQ skips exchanges whose names begin with 'amq.' when it imports definitions.",
      "Queue 'c': its x-queue-type 'delayed' is not a queue type RabbitMQ 4.3 has; skipped with its bindings.",
      "Queue 'amq.gen-1': queue names beginning with 'amq.' are reserved, and RabbitMQ refuses them.",
      '1 binding with a destination queue that is not in the file (or was skipped) was skipped.',
    ]);
  });

  it('skips bindings RabbitMQ would refuse: from or to the default exchange, a bad x-match; merges duplicates', () => {
    const { diagram, report } = imported({
      exchanges: [{ name: 'h', type: 'headers', ...durable }],
      queues: [{ name: 'q', ...durable, arguments: { 'x-queue-type': 'classic' } }],
      bindings: [
        { source: '', destination: 'q', destination_type: 'queue', routing_key: 'q' },
        { source: 'h', destination: '', destination_type: 'exchange', routing_key: '' },
        { source: 'h', destination: 'q', destination_type: 'queue', routing_key: '', arguments: { 'x-match': 'most' } },
        { source: 'h', destination: 'q', destination_type: 'queue', routing_key: '', arguments: { 'x-match': 'any', a: 1 } },
        { source: 'h', destination: 'q', destination_type: 'queue', routing_key: '', arguments: { a: 1, 'x-match': 'any' } },
      ],
    });
    expect(diagram.bindings).toHaveLength(1);
    expect(report.skipped).toEqual([
      "The binding from exchange 'h' to queue 'q': x-match 'most' is not one of all, any, all-with-x, any-with-x, and RabbitMQ refuses such a binding.",
      '1 binding with the default exchange as source (it takes no bindings: it routes by queue name already) was skipped.',
      '1 binding with the default exchange as destination (nothing can be bound to it) was skipped.',
    ]);
    expect(report.fixed).toEqual(['1 binding repeated an earlier one (same source, destination, key and arguments) and was merged: RabbitMQ holds one.']);
  });
});

// ------------------------------------------------------------------- policies ---

/** Imports queues (name → arguments, classic unless x-queue-type says) with the given policies. */
function withPolicies(queues: Record<string, Record<string, unknown>>, policies: unknown[]) {
  return imported({ queues: Object.entries(queues).map(([name, args]) => ({ name, ...durable, arguments: args })), policies });
}
const argsOf = (d: Diagram, name: string) => (node(d, name) as { arguments: Record<string, unknown> }).arguments;

describe('policies, as RabbitMQ 4.3 applies them', () => {
  it('takes the lower of policy and argument for TTLs and limits, the argument for dead-lettering and classic overflow', () => {
    const policy = { name: 'p', pattern: '.*', definition: { 'message-ttl': 1000, 'max-length': 10, 'dead-letter-exchange': 'pdlx', overflow: 'reject-publish', expires: 5000 }, priority: 0 };
    const { diagram } = withPolicies(
      {
        low: { 'x-message-ttl': 500, 'x-max-length': 100, 'x-dead-letter-exchange': 'own', 'x-overflow': 'drop-head' },
        none: {},
      },
      [policy],
    );
    expect(argsOf(diagram, 'low')).toEqual({ 'x-message-ttl': 500, 'x-max-length': 10, 'x-dead-letter-exchange': 'own', 'x-overflow': 'drop-head', 'x-expires': 5000 });
    expect(argsOf(diagram, 'none')).toEqual({ 'x-message-ttl': 1000, 'x-max-length': 10, 'x-dead-letter-exchange': 'pdlx', 'x-overflow': 'reject-publish', 'x-expires': 5000 });
  });

  it("gives a quorum queue the policy's overflow, and delivery limits the lower (or the larger when one is negative)", () => {
    const { diagram } = withPolicies(
      {
        qq: { 'x-queue-type': 'quorum', 'x-overflow': 'drop-head', 'x-delivery-limit': 10 },
        unlimited: { 'x-queue-type': 'quorum', 'x-delivery-limit': -1 },
      },
      [{ name: 'p', pattern: '^(qq|unlimited)$', 'apply-to': 'quorum_queues', definition: { overflow: 'reject-publish', 'delivery-limit': 3 }, priority: 1 }],
    );
    expect(argsOf(diagram, 'qq')).toEqual({ 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish', 'x-delivery-limit': 3 });
    expect(argsOf(diagram, 'unlimited')).toEqual({ 'x-queue-type': 'quorum', 'x-delivery-limit': 3, 'x-overflow': 'reject-publish' });
  });

  it('skips a policy for queues whose type does not support one of its keys, so a lower one applies (seen on 4.3.6)', () => {
    const { diagram, report } = withPolicies({ u1: {}, u2: { 'x-queue-type': 'quorum' } }, [
      { name: 'qqonly', pattern: '^u', 'apply-to': 'queues', definition: { 'delivery-limit': 3, 'message-ttl': 100 }, priority: 10 },
      { name: 'low', pattern: '^u', 'apply-to': 'all', definition: { 'message-ttl': 500 }, priority: 0 },
    ]);
    expect(argsOf(diagram, 'u1')).toEqual({ 'x-message-ttl': 500 });
    expect(argsOf(diagram, 'u2')).toEqual({ 'x-queue-type': 'quorum', 'x-delivery-limit': 3, 'x-message-ttl': 100 });
    expect(joined(report.notes)).toContain("Elsewhere 'qqonly' takes precedence");
  });

  it('picks the highest priority; between equal ones RabbitMQ picks at random, so the import takes the first name and says so', () => {
    const policies = ['p3', 'ka', 'k9', 'a', 'B'].map((name, i) => ({ name, pattern: '^s', definition: { 'max-length': i + 1 }, priority: 2 }));
    const { diagram, report } = withPolicies({ s1: {}, s2: {} }, [...policies, { name: 'low', pattern: '.', definition: { 'max-length': 99 }, priority: 1 }]);
    expect(argsOf(diagram, 's1')).toEqual({ 'x-max-length': 5 });
    expect(report.notes).toContain(
      "Policy 'low' (pattern '.', apply-to all, priority 1) was not applied: 'B' takes precedence wherever it matches (one policy applies to an entity, the one of highest priority).",
    );
    expect(report.notes).toContain(
      "Policies 'B', 'a', 'k9', 'ka' and 'p3' have the same priority and all match queue 's1', queue 's2': RabbitMQ then applies one of them undeterministically, so the import took 'B', the name that sorts first. Give them different priorities to be sure.",
    );
  });

  it('honours apply-to: classic_queues, streams, exchanges', () => {
    const { diagram } = imported({
      exchanges: [{ name: 'x', type: 'direct', ...durable }, { name: 'y', type: 'direct', ...durable, arguments: { 'alternate-exchange': 'own' } }],
      queues: [
        { name: 'c', ...durable, arguments: {} },
        { name: 'q', ...durable, arguments: { 'x-queue-type': 'quorum' } },
        { name: 's', ...durable, arguments: { 'x-queue-type': 'stream', 'x-max-length-bytes': 1000 } },
      ],
      policies: [
        { name: 'cq', pattern: '.*', 'apply-to': 'classic_queues', definition: { 'max-length': 7 }, priority: 0 },
        { name: 'st', pattern: '.*', 'apply-to': 'streams', definition: { 'max-length-bytes': 5000 }, priority: 0 },
        { name: 'ae', pattern: '.*', 'apply-to': 'exchanges', definition: { 'alternate-exchange': 'spill' }, priority: 0 },
      ],
    });
    expect(argsOf(diagram, 'c')).toEqual({ 'x-max-length': 7 });
    expect(argsOf(diagram, 'q')).toEqual({ 'x-queue-type': 'quorum' });
    // A stream's retention comes from the policy when both set it.
    expect(argsOf(diagram, 's')).toEqual({ 'x-queue-type': 'stream', 'x-max-length-bytes': 5000 });
    expect(argsOf(diagram, 'x')).toEqual({ 'alternate-exchange': 'spill' });
    expect(argsOf(diagram, 'y')).toEqual({ 'alternate-exchange': 'own' });
  });

  it('does not evaluate patterns it cannot run safely or exactly, and says so', () => {
    const { report } = withPolicies({ q: {} }, [
      { name: 'long', pattern: 'a'.repeat(201), definition: { 'max-length': 1 }, priority: 0 },
      { name: 'backref', pattern: '(a)\\1', definition: { 'max-length': 1 }, priority: 0 },
      { name: 'lookahead', pattern: '^(?!tmp)', definition: { 'max-length': 1 }, priority: 0 },
      { name: 'apply', pattern: '.*', 'apply-to': 'connections', definition: { 'max-length': 1 }, priority: 0 },
    ]);
    expect(report.skipped).toEqual([
      "Policy 'long' was not applied: its pattern is longer than 200 characters.",
      "Policy 'backref' was not applied: its pattern uses the escape '\\1', which this import does not evaluate.",
      "Policy 'lookahead' was not applied: its pattern uses the group syntax '(?!', which this import does not evaluate.",
      "Policy 'apply' applies to 'connections', which RabbitMQ 4.3 does not know: skipped.",
    ]);
  });

  it('matches catastrophic-backtracking patterns in linear time', () => {
    const name = `${'a'.repeat(254)}!`;
    const started = performance.now();
    const { diagram } = withPolicies({ [name]: {} }, [
      { name: 'evil', pattern: '^(a+)+$', definition: { 'max-length': 1 }, priority: 1 },
      { name: 'evil2', pattern: '(a|aa)*(a|aa)*(a|aa)*c', definition: { 'max-length': 2 }, priority: 0 },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(argsOf(diagram, name)).toEqual({});
  });
});

describe('compilePattern: the policy matcher agrees with RegExp on ASCII names', () => {
  const patterns = [
    '^orders\\.',
    '.*',
    '',
    '^$',
    'q$',
    '^(a|b)+c?$',
    '[a-c]{2,3}',
    '[^a-z]',
    '\\d+\\.\\w*',
    '^x{2}',
    '\\bfoo\\b',
    'a{,2}',
    '[]a]',
    '[a-]',
    '^(?:dlq|dead)[._-]',
    '\\s',
    '[[:digit:]]$',
    '^.{3}$',
    'a*?b',
    'ab|cd|',
  ];
  const names = ['orders.created', 'orders', 'x', '', 'ab', 'aabbc', 'abc', 'q', 'Q', 'a1.b', '12.', 'xx1', 'foo bar', 'foobar', 'a{,2}', ']', 'a-', 'dlq.x', 'dead-1', 'a b', 'abc7', 'cd', 'zzz'];
  const jsEquivalent = (p: string) => new RegExp(p.replace('a{,2}', 'a\\{,2\\}').replace('[]a]', '[\\]a]').replace('[[:digit:]]', '[0-9]'));

  for (const p of patterns) {
    it(`/${p}/`, () => {
      const compiled = compilePattern(p);
      if (!compiled.ok) throw new Error(compiled.reason);
      const re = jsEquivalent(p);
      for (const n of names) expect(compiled.pattern.search(n), `${p} on '${n}'`).toBe(re.test(n));
    });
  }

  it('is case-insensitive after a leading (?i), and matches $ before a final newline as PCRE does', () => {
    const ci = compilePattern('(?i)^ORDERS');
    expect(ci.ok && ci.pattern.search('orders.x')).toBe(true);
    const dollar = compilePattern('a$');
    expect(dollar.ok && dollar.pattern.search('a\n')).toBe(true);
    const end = compilePattern('a\\z');
    expect(end.ok && end.pattern.search('a\n')).toBe(false);
  });

  it('works on UTF-8 bytes as RabbitMQ (Erlang re without unicode) does: "." is one byte', () => {
    const three = compilePattern('^.{3}$');
    expect(three.ok && three.pattern.search('é.')).toBe(true); // 2 bytes + 1
    expect(three.ok && three.pattern.search('abc')).toBe(true);
  });
});

// --------------------------------------------------------------------- export ---

const at = { x: 0, y: 0 };
const run = (d: Diagram, ...actions: Action[]) => actions.reduce((acc, a) => unwrap(a, acc), d);

/** A shop: topic → queues, exchange-to-exchange, headers with typed arguments, amq.topic, DLX and AE, every queue type. */
function shopDiagram(): Diagram {
  const nodes: NodeDraft[] = [
    { kind: 'exchange', id: 'orders', position: at, name: 'orders', type: 'topic', arguments: { 'alternate-exchange': 'unrouted' } },
    { kind: 'exchange', id: 'unrouted', position: at, name: 'unrouted', type: 'fanout' },
    { kind: 'exchange', id: 'audit', position: at, name: 'audit', type: 'fanout', internal: true, autoDelete: true },
    { kind: 'exchange', id: 'events', position: at, name: 'events', type: 'headers', durable: false },
    { kind: 'exchange', id: 'random', position: at, name: 'random', type: 'x-local-random' },
    { kind: 'exchange', id: 'amq.topic', position: at, name: 'amq.topic' },
    { kind: 'exchange', id: 'amq.direct', position: at, name: 'amq.direct' },
    { kind: 'queue', id: 'q1', position: at, name: 'orders.created', arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000, 'x-dead-letter-exchange': 'amq.direct', 'x-dead-letter-routing-key': 'dead' } },
    { kind: 'queue', id: 'q2', position: at, name: 'orders.failed', arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3, 'x-max-length-bytes': 10737418240 } },
    { kind: 'queue', id: 'q3', position: at, name: 'audit.log', arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' } },
    { kind: 'queue', id: 'q4', position: at, name: 'dead', durable: false, autoDelete: true, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 10, 'x-custom': ['a', true, 2.5] } },
    { kind: 'queue', id: 'q5', position: at, name: 'spill', arguments: { 'x-queue-type': 'classic', 'x-overflow': 'reject-publish', 'x-single-active-consumer': true } },
  ];
  return run(
    emptyDiagram(),
    addNodes(nodes),
    addBinding('orders', 'q1', { routingKey: 'order.created' }),
    addBinding('orders', 'q2', { routingKey: 'order.*.failed' }),
    addBinding('orders', 'audit', { routingKey: '#' }),
    addBinding('audit', 'q3'),
    addBinding('events', 'q3', { arguments: { 'x-match': 'any', type: 'refund', level: 3, urgent: true, ratio: 0.5 } }),
    addBinding('events', 'q3', { arguments: { 'x-match': 'all-with-x', 'x-origin': 'eu' } }),
    addBinding('amq.topic', 'q1', { routingKey: 'legacy.#' }),
    addBinding('amq.direct', 'q4', { routingKey: 'dead' }),
    addBinding('unrouted', 'q5'),
    addBinding('orders', 'amq.topic', { routingKey: 'mirror.#' }),
    addBinding('random', 'q5'),
  );
}

describe('exportDefinitions', () => {
  it('writes what rabbitmqctl export_definitions writes for the topology: no built-ins, vhost on every entry', () => {
    const { definitions, notes } = exportDefinitions(shopDiagram(), { vhost: 'shop' });
    expect(definitions.rabbit_version).toBe('4.3.6');
    expect(definitions.vhosts).toEqual([{ name: 'shop' }]);
    expect(definitions.exchanges.map((x) => x.name)).toEqual(['audit', 'events', 'orders', 'random', 'unrouted']);
    expect(definitions.exchanges.find((x) => x.name === 'audit')).toEqual({
      name: 'audit',
      vhost: 'shop',
      type: 'fanout',
      durable: true,
      auto_delete: true,
      internal: true,
      arguments: {},
    });
    expect(definitions.queues.find((q) => q.name === 'orders.failed')).toEqual({
      name: 'orders.failed',
      vhost: 'shop',
      type: 'quorum',
      durable: true,
      auto_delete: false,
      arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3, 'x-max-length-bytes': 10737418240 },
    });
    expect(definitions.bindings).toContainEqual({
      source: 'amq.topic',
      vhost: 'shop',
      destination: 'orders.created',
      destination_type: 'queue',
      routing_key: 'legacy.#',
      arguments: {},
    });
    expect(definitions.bindings).toContainEqual({ source: 'orders', vhost: 'shop', destination: 'amq.topic', destination_type: 'exchange', routing_key: 'mirror.#', arguments: {} });
    expect(definitions.bindings).toHaveLength(11);
    expect(notes).toEqual([]);
    // Definitions are JSON: nothing in them is lost by JSON text.
    expect(JSON.parse(JSON.stringify(definitions))).toEqual(definitions);
  });

  it('leaves out exclusive queues with their bindings, and clients, with notes; writes x-queue-type classic where none', () => {
    const d = run(
      emptyDiagram(),
      addNodes([
        { kind: 'exchange', id: 'x', position: at, name: 'x', type: 'direct' },
        { kind: 'queue', id: 'rpc', position: at, name: 'rpc.reply', exclusive: true, arguments: {} },
        { kind: 'queue', id: 'plain', position: at, name: 'plain', arguments: {} },
        { kind: 'producer', id: 'p', position: at, name: 'p' },
        { kind: 'consumer', id: 'c', position: at, name: 'c' },
      ]),
      addBinding('x', 'rpc', { routingKey: 'r' }),
      addBinding('x', 'plain', { routingKey: 'p' }),
    );
    const { definitions, notes } = exportDefinitions(d);
    expect(definitions.queues).toEqual([{ name: 'plain', vhost: '/', type: 'classic', durable: true, auto_delete: false, arguments: { 'x-queue-type': 'classic' } }]);
    expect(definitions.bindings.map((b) => b.destination)).toEqual(['plain']);
    expect(notes).toEqual([
      "Left out the exclusive queue 'rpc.reply' and 1 binding to it: an exclusive queue belongs to one connection, and RabbitMQ's import would make it a plain queue.",
      "Wrote x-queue-type 'classic' for 'plain', which had none: RabbitMQ gives such a queue the vhost's default type, which may be quorum; the playground simulates a classic queue.",
      'Left out 1 producer and 1 consumer: definitions describe the broker, not its clients.',
    ]);
  });

  it('leaves out server-named queues and their bindings, with a note', () => {
    const d = run(
      emptyDiagram(),
      addNodes([
        { kind: 'exchange', id: 'x', position: at, name: 'logs', type: 'fanout' },
        { kind: 'queue', id: 'q1', position: at, name: '', arguments: {} },
        { kind: 'queue', id: 'q2', position: at, name: '', arguments: {} },
      ]),
      addBinding('x', 'q1', {}),
      addBinding('x', 'q2', {}),
    );
    const { definitions, notes } = exportDefinitions(d);
    expect(definitions.queues).toEqual([]);
    expect(definitions.bindings).toEqual([]);
    expect(notes).toContain('Left out 2 server-named queues and 2 bindings to them: the broker names such a queue (amq.gen-…) when a client declares it, so definitions cannot list them.');
  });

  it("converts the document's typed values to plain JSON, and says where RabbitMQ will read them differently", () => {
    const d = run(
      emptyDiagram(),
      addNodes([
        { kind: 'exchange', id: 'h', position: at, name: 'h', type: 'headers' },
        { kind: 'queue', id: 'q', position: at, name: 'q', arguments: { 'x-queue-type': 'classic', 'x-message-ttl': { $long: 1000 } } },
      ]),
      addBinding('h', 'q', {
        arguments: {
          'x-match': 'any',
          long: { $long: 5 },
          ts: { $timestamp: 1700000000 },
          text: { $bytes: 'aGk=' },
          raw: { $bytes: '/w==' },
          one: { $double: 1 },
          half: { $float: 0.5 },
          dec: { $decimal: { places: 2, digits: 150 } },
          list: [1, { $long: 2 }],
          table: { $table: { $odd: 'key' } },
          nothing: null,
        },
      }),
    );
    const { definitions, notes } = exportDefinitions(d);
    expect(definitions.queues[0]!.arguments).toEqual({ 'x-queue-type': 'classic', 'x-message-ttl': 1000 });
    expect(definitions.bindings[0]!.arguments).toEqual({ 'x-match': 'any', long: 5, ts: 1700000000, text: 'hi', one: 1, half: 0.5, list: [1, 2], table: { $odd: 'key' } });
    const who = "the binding from exchange 'h' to queue 'q'";
    expect(notes).toEqual([
      `Left out the argument 'raw' of ${who}: its bytes are not UTF-8 text, and definitions hold only text.`,
      `The argument 'one' of ${who} changes type in RabbitMQ: the double 1 becomes an integer: JSON from JavaScript writes it without a decimal point.`,
      `Left out the argument 'dec' of ${who}: definitions cannot hold a decimal.`,
      `The argument 'list' of ${who} changes type in RabbitMQ: its integers become longs (definitions have no other integer type).`,
      `Left out the argument 'nothing' of ${who}: RabbitMQ refuses null (void) values in definitions.`,
    ]);
  });
});

// ----------------------------------------------------------------- round trip ---

/** export → JSON text → import, the topology of the result. */
const roundTrip = (d: Diagram, vhost?: string) => {
  const text = JSON.stringify(exportDefinitions(d, { vhost }).definitions);
  return topologyOf(imported(text).diagram);
};

describe('round trip: export → import gives the same topology', () => {
  it('for the example diagram (clients aside)', () => {
    expect(roundTrip(exampleDiagram())).toEqual(topologyOf(exampleDiagram()));
  });

  it('for a shop with every exchange type, queue type, built-in bindings, DLX and AE', () => {
    expect(roundTrip(shopDiagram(), 'shop')).toEqual(topologyOf(shopDiagram()));
  });

  it('for an empty diagram', () => {
    expect(roundTrip(emptyDiagram())).toEqual({ exchanges: [], queues: [], bindings: [] });
  });

  it('for its own imports: import → export → import is stable', () => {
    const first = imported(managementExport(), { vhost: 'shop' }).diagram;
    const { definitions } = exportDefinitions(first, { vhost: 'shop' });
    const again = imported(definitions);
    expect(topologyOf(again.diagram)).toEqual(topologyOf(first));
    expect(again.report.skipped).toEqual([]);
    expect(again.report.fixed).toEqual([]);
  });

  it('for generated topologies of plain values', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.integer({ min: -1e9, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((x) => !Number.isInteger(x)));
    const table = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/), scalar, { maxKeys: 3 });
    const spec = fc.record({
      exchanges: fc.uniqueArray(fc.record({ name, type: fc.constantFrom<ExchangeType>(...EXCHANGE_TYPES), durable: fc.boolean(), autoDelete: fc.boolean(), internal: fc.boolean(), arguments: table }), {
        selector: (x) => x.name,
        maxLength: 6,
      }),
      queues: fc.uniqueArray(fc.record({ name, durable: fc.boolean(), autoDelete: fc.boolean(), arguments: table }), { selector: (q) => q.name, maxLength: 6 }),
      bindings: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), toQueue: fc.boolean(), key: fc.string({ maxLength: 10 }), arguments: table }), { maxLength: 12 }),
    });
    fc.assert(
      fc.property(spec, (s) => {
        const d = buildDiagram(s);
        expect(validateDiagram(d)).toEqual([]);
        expect(roundTrip(d)).toEqual(topologyOf(d));
      }),
      { numRuns: 150 },
    );
  });
});

/** A diagram straight from generated specs (classic queues, x-queue-type set as the app does). */
function buildDiagram(s: {
  exchanges: { name: string; type: ExchangeType; durable: boolean; autoDelete: boolean; internal: boolean; arguments: Record<string, unknown> }[];
  queues: { name: string; durable: boolean; autoDelete: boolean; arguments: Record<string, unknown> }[];
  bindings: { from: number; to: number; toQueue: boolean; key: string; arguments: Record<string, unknown> }[];
}): Diagram {
  const exchanges = s.exchanges.filter((x) => !x.name.startsWith('amq.'));
  const queues = s.queues.filter((q) => !q.name.startsWith('amq.'));
  const nodes: Diagram['nodes'] = [
    ...exchanges.map((x, i) => ({ id: `exchange-${i + 1}`, kind: 'exchange' as const, position: at, ...x })),
    ...queues.map((q, i) => ({ id: `queue-${i + 1}`, kind: 'queue' as const, position: at, exclusive: false, ...q, arguments: { ...q.arguments, 'x-queue-type': 'classic' } })),
  ];
  const seen = new Set<string>();
  const bindings: Diagram['bindings'] = [];
  for (const b of s.bindings) {
    if (exchanges.length === 0) break;
    const source = `exchange-${(b.from % exchanges.length) + 1}`;
    const toQueue = b.toQueue && queues.length > 0;
    const destination = toQueue ? `queue-${(b.to % queues.length) + 1}` : `exchange-${(b.to % exchanges.length) + 1}`;
    const identity = JSON.stringify([source, destination, b.key, Object.entries(b.arguments).sort()]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    bindings.push({ id: `binding-${bindings.length + 1}`, source, destination: { kind: toQueue ? 'queue' : 'exchange', id: destination }, routingKey: b.key, arguments: b.arguments });
  }
  return { version: 1, nodes, bindings };
}

describe('layout of an imported diagram', () => {
  it('puts exchange chains in columns by depth, loops included, and queues after them', () => {
    const d = run(
      emptyDiagram(),
      addNodes([
        { kind: 'exchange', id: 'a', position: at, name: 'a' },
        { kind: 'exchange', id: 'b', position: at, name: 'b' },
        { kind: 'exchange', id: 'c', position: at, name: 'c' },
        { kind: 'exchange', id: 'd', position: at, name: 'd' },
        { kind: 'exchange', id: 'loop1', position: at, name: 'loop1' },
        { kind: 'exchange', id: 'loop2', position: at, name: 'loop2' },
        { kind: 'queue', id: 'q', position: at, name: 'q' },
      ]),
      addBinding('a', 'b'),
      addBinding('b', 'c'),
      addBinding('a', 'c'),
      addBinding('d', 'q'),
      addBinding('loop1', 'loop2'),
      addBinding('loop2', 'loop1'),
      addBinding('c', 'q'),
    );
    expect(Object.fromEntries(importColumns(d))).toEqual({ a: 0, b: 1, c: 2, d: 0, loop1: 0, loop2: 1, q: 3 });
  });

  it('imports the largest file it accepts in well under two seconds, without overlaps', () => {
    const exchanges = Array.from({ length: 100 }, (_, i) => ({ name: `x${i}`, type: 'topic', ...durable }));
    const queues = Array.from({ length: 400 }, (_, i) => ({ name: `q${i}`, ...durable, arguments: { 'x-queue-type': 'classic' } }));
    const bindings = Array.from({ length: 2000 }, (_, i) =>
      i % 10 === 0
        ? { source: `x${i % 50}`, destination: `x${50 + ((i * 7) % 50)}`, destination_type: 'exchange', routing_key: `k${i}` }
        : { source: `x${i % 100}`, destination: `q${(i * 13) % 400}`, destination_type: 'queue', routing_key: `k${i}` },
    );
    const started = performance.now();
    const { diagram, report } = imported({ exchanges, queues, bindings });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.counts).toEqual({ exchanges: 100, queues: 400, bindings: 2000 });
    const columns = new Map<number, { y: number }[]>();
    for (const n of diagram.nodes) columns.set(n.position.x, [...(columns.get(n.position.x) ?? []), n.position]);
    for (const list of columns.values()) {
      const ys = list.map((p) => p.y).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(IMPORT_NODE_SIZE.height);
    }
  });
});

describe("the document's copy of the queue arguments each type takes", () => {
  it("is the broker's list, less the deprecated x-queue-master-locator RabbitMQ 4.x refuses", () => {
    for (const type of ['classic', 'quorum', 'stream'] as const) {
      expect([...QUEUE_ARGUMENTS[type]].sort()).toEqual(SUPPORTED_QUEUE_ARGUMENTS[type].filter((key) => key !== 'x-queue-master-locator').sort());
    }
  });
});
