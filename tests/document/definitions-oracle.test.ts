/**
 * Definitions against a real RabbitMQ 4.3.6, the oracle of ../shared/oracle/ (start it with
 * `sh setup_broker.sh` as root). Skipped when its management API (127.0.0.1:15672, guest/guest)
 * does not answer within 500 ms, so `npm test` never depends on it.
 *
 * Each test works in a throw-away vhost (PUT /api/vhosts/<name>) that it deletes afterwards:
 * POST the export to /api/definitions/<vhost>, GET /api/definitions/<vhost> back, import that,
 * and compare topologies.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { addBinding, addNodes, unwrap, type Action, type NodeDraft } from '../../src/document/actions';
import { exportDefinitions, importDefinitions } from '../../src/document/definitions';
import { queuePolicyNames, type QueueType } from '../../src/document/definitions-policies';
import { emptyDiagram } from '../../src/document/diagram';
import { topologyOf, type Topology } from '../../src/document/topology';
import type { Diagram } from '../../src/document/types';
import { exampleDiagram } from '../../src/ui/canvas/example';

const API = 'http://127.0.0.1:15672/api';
const HEADERS = { authorization: `Basic ${btoa('guest:guest')}`, 'content-type': 'application/json' };

async function reachable(): Promise<boolean> {
  try {
    const response = await fetch(`${API}/overview`, { headers: HEADERS, signal: AbortSignal.timeout(500) });
    return response.ok;
  } catch {
    return false;
  }
}

const brokerUp = await reachable();

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${API}${path}`, { method, headers: HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

const created: string[] = [];
let counter = 0;

/** A new empty vhost, deleted after the test. */
async function throwAwayVhost(): Promise<string> {
  const name = `routing-playground-defs-${process.pid}-${Date.now()}-${++counter}`;
  await api('PUT', `/vhosts/${encodeURIComponent(name)}`, {});
  created.push(name);
  return name;
}

afterEach(async () => {
  for (const name of created.splice(0)) await api('DELETE', `/vhosts/${encodeURIComponent(name)}`).catch(() => undefined);
});

/** POSTs a diagram's export into a fresh vhost and imports what RabbitMQ lists back. */
async function throughBroker(d: Diagram) {
  const vhost = await throwAwayVhost();
  const { definitions } = exportDefinitions(d, { vhost });
  await api('POST', `/definitions/${encodeURIComponent(vhost)}`, definitions);
  const listed = await api('GET', `/definitions/${encodeURIComponent(vhost)}`);
  const result = importDefinitions(listed);
  if (!result.ok) throw new Error(result.message);
  return { vhost, listed: listed as Record<string, unknown>, ...result };
}

const at = { x: 0, y: 0 };
const run = (d: Diagram, ...actions: Action[]) => actions.reduce((acc, a) => unwrap(a, acc), d);

/** Every exchange and queue type, built-in bindings, headers arguments (nested longs), DLX and AE; no internal exchange. */
function brokerDiagram(extra: NodeDraft[] = [], internal = false): Diagram {
  const nodes: NodeDraft[] = [
    { kind: 'exchange', id: 'orders', position: at, name: 'orders', type: 'topic', arguments: { 'alternate-exchange': 'unrouted' } },
    { kind: 'exchange', id: 'unrouted', position: at, name: 'unrouted', type: 'fanout' },
    { kind: 'exchange', id: 'audit', position: at, name: 'audit', type: 'fanout', autoDelete: true, internal },
    { kind: 'exchange', id: 'events', position: at, name: 'events', type: 'headers', durable: false },
    { kind: 'exchange', id: 'random', position: at, name: 'random', type: 'x-local-random' },
    { kind: 'exchange', id: 'amq.topic', position: at, name: 'amq.topic' },
    { kind: 'exchange', id: 'amq.direct', position: at, name: 'amq.direct' },
    { kind: 'queue', id: 'q1', position: at, name: 'orders.created', arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000, 'x-dead-letter-exchange': 'amq.direct', 'x-dead-letter-routing-key': 'dead' } },
    { kind: 'queue', id: 'q2', position: at, name: 'orders.failed', arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3, 'x-max-length-bytes': 10737418240 } },
    { kind: 'queue', id: 'q3', position: at, name: 'audit.log', arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' } },
    { kind: 'queue', id: 'q4', position: at, name: 'dead', durable: false, autoDelete: true, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 10, 'x-custom': ['a', true, 2.5, { $long: 7 }] } },
    { kind: 'queue', id: 'q5', position: at, name: 'spill', arguments: { 'x-queue-type': 'classic', 'x-overflow': 'reject-publish', 'x-single-active-consumer': true } },
    ...extra,
  ];
  return run(
    emptyDiagram(),
    addNodes(nodes),
    addBinding('orders', 'q1', { routingKey: 'order.created' }),
    addBinding('orders', 'q2', { routingKey: 'order.*.failed' }),
    addBinding('orders', 'audit', { routingKey: '#' }),
    addBinding('audit', 'q3'),
    addBinding('events', 'q3', { arguments: { 'x-match': 'any', type: 'refund', level: 3, urgent: true, ratio: 0.5, tags: [{ $long: 1 }, 'eu'], more: { region: 'eu', n: { $long: 2 } } } }),
    addBinding('events', 'q3', { arguments: { 'x-match': 'all-with-x', 'x-origin': 'eu' } }),
    addBinding('amq.topic', 'q1', { routingKey: 'legacy.#' }),
    addBinding('amq.direct', 'q4', { routingKey: 'dead' }),
    addBinding('unrouted', 'q5'),
    addBinding('orders', 'amq.topic', { routingKey: 'mirror.#' }),
    addBinding('random', 'q5'),
  );
}

/** The topology without one exchange and the bindings from or to it. */
function without(t: Topology, exchange: string): Topology {
  return {
    exchanges: t.exchanges.filter((x) => x.name !== exchange),
    queues: t.queues,
    bindings: t.bindings.filter((b) => b.source !== exchange && !(b.destinationKind === 'exchange' && b.destination === exchange)),
  };
}

describe.skipIf(!brokerUp)('definitions against a real RabbitMQ (../shared/oracle)', () => {
  it('RabbitMQ takes the export of the example diagram and lists back the same topology', async () => {
    const d = exampleDiagram();
    const { diagram, report, listed } = await throughBroker(d);
    expect(listed.rabbit_version).toMatch(/^4\./);
    expect(topologyOf(diagram)).toEqual(topologyOf(d));
    expect(report.skipped).toEqual([]);
    expect(report.fixed).toEqual([]);
  });

  it('same for every exchange and queue type, built-in bindings, typed headers arguments, DLX and AE', async () => {
    const d = brokerDiagram();
    const { diagram, report } = await throughBroker(d);
    expect(topologyOf(diagram)).toEqual(topologyOf(d));
    expect(report.skipped).toEqual([]);
  });

  it("writes x-queue-type classic for a queue without one, and RabbitMQ lists it that way too", async () => {
    const d = run(emptyDiagram(), addNodes([{ kind: 'queue', id: 'q', position: at, name: 'bare', arguments: {} }]));
    const { diagram } = await throughBroker(d);
    expect(topologyOf(diagram).queues).toEqual([{ name: 'bare', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } }]);
  });

  it("RabbitMQ's export leaves internal exchanges out but keeps their bindings; the import skips those and says why", async () => {
    const d = brokerDiagram([], true);
    const { vhost, diagram, report, listed } = await throughBroker(d);
    expect((listed.exchanges as { name: string }[]).map((x) => x.name)).not.toContain('audit');
    expect(await api('GET', `/exchanges/${encodeURIComponent(vhost)}/audit`)).toMatchObject({ name: 'audit', internal: true, auto_delete: true });
    expect(topologyOf(diagram)).toEqual(without(topologyOf(d), 'audit'));
    // RabbitMQ lists bindings in no fixed order, and the report follows the file.
    expect([...report.skipped].sort()).toEqual([
      "1 binding with a destination exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out) was skipped.",
      "1 binding with a source exchange that is not in the file (RabbitMQ's own export leaves internal exchanges out) was skipped.",
    ]);
  });

  it('POST /api/definitions (cluster-wide) takes the export, creating its vhost', async () => {
    const vhost = `routing-playground-defs-${process.pid}-${Date.now()}-cluster`;
    created.push(vhost);
    const d = brokerDiagram();
    await api('POST', '/definitions', exportDefinitions(d, { vhost }).definitions);
    const result = importDefinitions(await api('GET', `/definitions/${encodeURIComponent(vhost)}`));
    expect(result.ok && topologyOf(result.diagram)).toEqual(topologyOf(d));
  });

  it('policies: RabbitMQ picks the same policy for each queue as the import does', { timeout: 30_000 }, async () => {
    const vhost = await throwAwayVhost();
    const policies = [
      { name: 'zeta', pattern: '^t', 'apply-to': 'queues', definition: { 'max-length': 5 }, priority: 1 },
      { name: 'alpha', pattern: '^t', 'apply-to': 'queues', definition: { 'max-length': 7 }, priority: 1 },
      { name: 'B', pattern: '^t', 'apply-to': 'queues', definition: { 'max-length': 8 }, priority: 1 },
      { name: 'qq-only', pattern: '^u', 'apply-to': 'queues', definition: { 'delivery-limit': 3, 'message-ttl': 100 }, priority: 10 },
      { name: 'low', pattern: '^u', 'apply-to': 'all', definition: { 'message-ttl': 500 }, priority: 0 },
      { name: 'classic-only', pattern: '^c', 'apply-to': 'classic_queues', definition: { 'max-length': 5 }, priority: 0 },
      { name: 'dlx-ttl', pattern: '^orders\\.(created|failed)$', 'apply-to': 'queues', definition: { 'dead-letter-exchange': 'dlx', 'message-ttl': 60000 }, priority: 5 },
      { name: 'words', pattern: '(?i)\\bAUDIT\\b', 'apply-to': 'queues', definition: { 'max-length-bytes': 1000000 }, priority: 2 },
    ];
    const queues: { name: string; type: QueueType }[] = [
      { name: 't1', type: 'classic' },
      { name: 'u1', type: 'classic' },
      { name: 'u2', type: 'quorum' },
      { name: 'c1', type: 'classic' },
      { name: 'c2', type: 'quorum' },
      { name: 'orders.created', type: 'classic' },
      { name: 'orders.failed', type: 'quorum' },
      { name: 'orders.failed.x', type: 'classic' },
      { name: 'the.audit.log', type: 'classic' },
      { name: 'auditor', type: 'classic' },
    ];
    const file = {
      policies: policies.map((p) => ({ vhost, ...p })),
      queues: queues.map((q) => ({ name: q.name, vhost, durable: true, auto_delete: false, arguments: { 'x-queue-type': q.type } })),
    };
    await api('POST', `/definitions/${encodeURIComponent(vhost)}`, file);
    // The management API shows a queue's policy from its statistics (every 5 s), which may
    // still show a policy matched before all were in: wait for the settled answer.
    const ours = queuePolicyNames(policies, queues);
    const agrees = (broker: Record<string, string | null>) =>
      queues.every((q) => (broker[q.name] === null ? ours.get(q.name)!.length === 0 : ours.get(q.name)!.includes(broker[q.name]!)));
    let broker: Record<string, string | null> = {};
    for (const started = Date.now(); Date.now() - started < 20_000; await new Promise((r) => setTimeout(r, 500))) {
      const listed = (await api('GET', `/queues/${encodeURIComponent(vhost)}?columns=name,policy`)) as { name: string; policy?: string | null }[];
      if (listed.length < queues.length || !listed.every((q) => 'policy' in q)) continue;
      broker = Object.fromEntries(listed.map((q) => [q.name, q.policy ?? null]));
      if (agrees(broker)) break;
    }
    for (const q of queues) {
      const mayBe = ours.get(q.name)!;
      if (mayBe.length === 0) expect(broker[q.name], q.name).toBeNull();
      else expect(mayBe, q.name).toContain(broker[q.name]);
    }
    // Three policies tie on t1 (RabbitMQ picks one of them); every other queue has one answer.
    expect(Object.fromEntries(ours)).toEqual({
      t1: ['B', 'alpha', 'zeta'],
      u1: ['low'],
      u2: ['qq-only'],
      c1: ['classic-only'],
      c2: [],
      'orders.created': ['dlx-ttl'],
      'orders.failed': ['dlx-ttl'],
      'orders.failed.x': [],
      'the.audit.log': ['words'],
      auditor: [],
    });

    // And the definitions it lists back import to the same diagram as the file itself.
    const back = importDefinitions(await api('GET', `/definitions/${encodeURIComponent(vhost)}`));
    const direct = importDefinitions({ ...file, vhosts: [{ name: vhost }] });
    expect(back.ok && direct.ok && topologyOf(back.diagram)).toEqual(direct.ok && topologyOf(direct.diagram));
  });

  it("policy and queue arguments combine as the import writes them: limits the lower, overflow the classic queue's, the quorum policy's", async () => {
    const vhost = await throwAwayVhost();
    const file = {
      policies: [{ name: 'limit', pattern: '^p', 'apply-to': 'queues', definition: { 'max-length': 2, overflow: 'reject-publish' }, priority: 1 }],
      queues: [
        { name: 'p.higher', arguments: { 'x-queue-type': 'classic', 'x-max-length': 10 } },
        { name: 'p.lower', arguments: { 'x-queue-type': 'classic', 'x-max-length': 1 } },
        { name: 'p.classic-drop', arguments: { 'x-queue-type': 'classic', 'x-overflow': 'drop-head' } },
        { name: 'p.quorum-drop', arguments: { 'x-queue-type': 'quorum', 'x-overflow': 'drop-head' } },
      ].map((q) => ({ ...q, durable: true, auto_delete: false })),
    };
    const result = importDefinitions(file);
    if (!result.ok) throw new Error(result.message);
    const args = Object.fromEntries(result.diagram.nodes.map((n) => [n.name, (n as { arguments: object }).arguments]));
    expect(args).toEqual({
      'p.higher': { 'x-queue-type': 'classic', 'x-max-length': 2, 'x-overflow': 'reject-publish' },
      'p.lower': { 'x-queue-type': 'classic', 'x-max-length': 1, 'x-overflow': 'reject-publish' },
      'p.classic-drop': { 'x-queue-type': 'classic', 'x-overflow': 'drop-head', 'x-max-length': 2 },
      'p.quorum-drop': { 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish', 'x-max-length': 2 },
    });

    // What the broker does with five messages each says which limit and overflow it uses.
    await api('POST', `/definitions/${encodeURIComponent(vhost)}`, file);
    const kept: Record<string, string[]> = {};
    for (const q of file.queues) {
      for (let i = 1; i <= 5; i++) {
        // A publish the queue rejects (reject-publish) answers 400: that is part of the observation.
        const body = JSON.stringify({ properties: {}, routing_key: q.name, payload: `m${i}`, payload_encoding: 'string' });
        await fetch(`${API}/exchanges/${encodeURIComponent(vhost)}/amq.default/publish`, { method: 'POST', headers: HEADERS, body });
      }
      const got = (await api('POST', `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(q.name)}/get`, { count: 10, ackmode: 'ack_requeue_true', encoding: 'auto' })) as { payload: string }[];
      kept[q.name] = got.map((m) => m.payload);
    }
    expect(kept['p.higher']).toEqual(['m1', 'm2']); // limit 2 (the lower), reject-publish from the policy
    expect(kept['p.lower']).toEqual(['m1']); // limit 1 (the lower)
    expect(kept['p.classic-drop']).toEqual(['m4', 'm5']); // the classic queue's own drop-head
    expect(kept['p.quorum-drop']![0]).toBe('m1'); // the policy's reject-publish: the oldest stay
  });
});
