/**
 * The gallery's presets as documents: each form of each preset is a valid diagram, laid out on
 * the grid (producers, exchanges, queues, consumers, left to right, rows 170 px apart), with
 * unique ids and names, a one-line description, and the tutorials' own names and declarations
 * in both their current (quorum) and classic forms.
 */

import { describe, expect, it } from 'vitest';
import { COLUMN_X, PRESETS, ROW_HEIGHT, presetById, type Preset } from '../../src/document/presets/index';
import type { BindingEdge, Diagram, DiagramNode, ExchangeNode, NodeKind, QueueNode } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';
import { loadDiagram } from '../../src/document/load';
import { decodeShare, encodeShare } from '../../src/document/share';

/** Every form of every preset: [label, preset, classic]. */
const FORMS: [string, Preset, boolean][] = PRESETS.flatMap((p) =>
  p.hasClassicForm ? [[`${p.id} (quorum)`, p, false] as [string, Preset, boolean], [`${p.id} (classic)`, p, true] as [string, Preset, boolean]] : [[p.id, p, false] as [string, Preset, boolean]],
);

function named<K extends NodeKind>(d: Diagram, kind: K, name: string): Extract<DiagramNode, { kind: K }> {
  const node = d.nodes.find((n) => n.kind === kind && n.name === name);
  if (!node) throw new Error(`no ${kind} '${name}' in the diagram`);
  return node as Extract<DiagramNode, { kind: K }>;
}

const queueNamed = (d: Diagram, name: string) => named(d, 'queue', name) as QueueNode;
const exchangeNamed = (d: Diagram, name: string) => named(d, 'exchange', name) as ExchangeNode;

/** Binding keys from an exchange to a queue, by names (a server-named queue by its node id). */
function keys(d: Diagram, exchange: string, queue: string): string[] {
  const x = exchangeNamed(d, exchange).id;
  const q = d.nodes.some((n) => n.id === queue && n.kind === 'queue' && n.name === '') ? queue : queueNamed(d, queue).id;
  return d.bindings.filter((b: BindingEdge) => b.source === x && b.destination.id === q).map((b) => b.routingKey);
}

describe('the preset list', () => {
  it('has the six tutorials in order, then the four patterns', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'hello-world',
      'work-queues',
      'publish-subscribe',
      'routing',
      'topics',
      'rpc',
      'dead-letter-retry',
      'alternate-exchange',
      'priority-queue',
      'headers-routing',
    ]);
    expect(PRESETS.filter((p) => p.tutorial !== undefined).map((p) => p.tutorial)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('has unique, kebab-case ids, found by presetById', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PRESETS) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(presetById(p.id)).toBe(p);
    }
    expect(presetById('nope')).toBeUndefined();
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s: a title, a one-line description (at most 120 characters) and a short tryIt', (_, p) => {
    expect(p.title.trim()).not.toBe('');
    expect(p.title).not.toMatch(/[\r\n]/);
    expect(p.description.trim()).toBe(p.description);
    expect(p.description.length).toBeGreaterThan(20);
    expect(p.description.length).toBeLessThanOrEqual(120);
    expect(p.description).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(p.tryIt.trim()).not.toBe('');
    expect(p.tryIt).not.toMatch(/[\r\n]/);
    // One or two sentences.
    expect(p.tryIt.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '').length).toBeLessThanOrEqual(3);
  });

  it('offers a classic form for the tutorials whose declarations changed (1, 2 and 6) only', () => {
    expect(PRESETS.filter((p) => p.hasClassicForm).map((p) => p.tutorial)).toEqual([1, 2, 6]);
    for (const p of PRESETS) {
      if (p.hasClassicForm) expect(p.build({ classic: true })).not.toEqual(p.build());
      else expect(p.build({ classic: true })).toEqual(p.build());
    }
  });
});

describe.each(FORMS)('%s', (_, preset, classic) => {
  const build = () => preset.build({ classic });

  it('is a valid diagram', () => {
    expect(validateDiagram(build())).toEqual([]);
  });

  it('loads as it is, from a file or a share link', () => {
    const d = build();
    const loaded = loadDiagram(JSON.parse(JSON.stringify(d)));
    expect(loaded).toMatchObject({ ok: true, repairs: [] });
    expect(loaded.ok && loaded.diagram).toEqual(d);
    const shared = decodeShare(encodeShare(d));
    expect(shared.ok && shared.diagram).toEqual(d);
  });

  it('is a fresh diagram each time', () => {
    const a = build();
    const b = build();
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    (a.nodes[0]!.position as { x: number }).x = 12345;
    expect(b.nodes[0]!.position.x).not.toBe(12345);
    expect(preset.build({ classic }).nodes[0]!.position.x).not.toBe(12345);
  });

  it('has unique ids, and unique names for each kind of node (server-named queues have none)', () => {
    const d = build();
    const ids = [...d.nodes.map((n) => n.id), ...d.bindings.map((b) => b.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const kind of ['producer', 'exchange', 'queue', 'consumer'] as const) {
      const names = d.nodes.filter((n) => n.kind === kind && n.name !== '').map((n) => n.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('fits the layout grid: one column per kind, left to right, rows 170 px apart, no overlaps', () => {
    const d = build();
    expect(COLUMN_X).toEqual({ producer: 0, exchange: 300, queue: 600, consumer: 900 });
    expect(ROW_HEIGHT).toBe(170);
    const taken = new Set<string>();
    for (const n of d.nodes) {
      expect(n.position.x, `${n.kind} ${n.name}`).toBe(COLUMN_X[n.kind]);
      // Whole rows, or half rows to centre a node between two.
      expect(n.position.y % (ROW_HEIGHT / 2), `${n.kind} ${n.name}`).toBe(0);
      expect(n.position.y).toBeGreaterThanOrEqual(0);
      expect(n.position.y).toBeLessThanOrEqual(3 * ROW_HEIGHT);
      const at = `${n.position.x},${n.position.y}`;
      expect(taken.has(at), `two nodes at ${at}`).toBe(false);
      taken.add(at);
    }
  });

  it('links every producer and consumer, and every queue has a way in', () => {
    const d = build();
    for (const n of d.nodes) {
      if (n.kind === 'producer') expect(n.target, n.name).not.toBeNull();
      if (n.kind === 'consumer') expect(n.queue, n.name).not.toBeNull();
      // Direct Reply-to's pseudo-queue is reached by the reply-to address alone.
      if (n.kind === 'queue' && n.name !== 'amq.rabbitmq.reply-to') {
        const bound = d.bindings.some((b) => b.destination.id === n.id);
        // ...or the reply-to of a request (an RPC server answers to it).
        const published = d.nodes.some((p) => p.kind === 'producer' && (p.target?.id === n.id || p.message.properties.replyTo === n.name));
        expect(bound || published, n.name).toBe(true);
      }
    }
  });

  it('names no queue or exchange with the reserved amq. prefix (but Direct Reply-to, which is no queue)', () => {
    for (const n of build().nodes) if (n.kind === 'queue' || n.kind === 'exchange') expect(n.name.startsWith('amq.') && n.name !== 'amq.rabbitmq.reply-to').toBe(false);
  });
});

describe('the tutorials, current form (durable quorum queues) and classic form', () => {
  const quorum = { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'quorum' } };

  it('1: hello is a durable quorum queue, or a transient classic one declared with no arguments', () => {
    const p = presetById('hello-world')!;
    expect(queueNamed(p.build(), 'hello')).toMatchObject(quorum);
    expect(queueNamed(p.build({ classic: true }), 'hello')).toMatchObject({ durable: false, exclusive: false, autoDelete: false, arguments: {} });
    for (const d of [p.build(), p.build({ classic: true })]) {
      expect(named(d, 'producer', 'send')).toMatchObject({ target: { kind: 'queue' }, message: { body: 'Hello World!' }, mode: { kind: 'burst', count: 4 } });
      expect(named(d, 'consumer', 'receive')).toMatchObject({ ackMode: 'auto', running: false, queue: queueNamed(d, 'hello').id });
    }
  });

  it('2: task_queue is a durable quorum queue, or a durable classic one; persistent tasks; two workers with prefetch 1', () => {
    const p = presetById('work-queues')!;
    expect(queueNamed(p.build(), 'task_queue')).toMatchObject(quorum);
    expect(queueNamed(p.build({ classic: true }), 'task_queue')).toMatchObject({ durable: true, arguments: {} });
    const d = p.build();
    expect(named(d, 'producer', 'new_task').message.properties).toEqual({ persistent: true });
    for (const name of ['worker-1', 'worker-2']) {
      expect(named(d, 'consumer', name)).toMatchObject({ prefetch: 1, ackMode: 'manual', running: true, queue: queueNamed(d, 'task_queue').id });
      expect(named(d, 'consumer', name).workMs).toBeGreaterThanOrEqual(1000);
    }
  });

  it("3: logs is a fanout exchange bound to two subscriber queues, server-named and exclusive as queue_declare(queue='', exclusive=True) makes them", () => {
    const d = presetById('publish-subscribe')!.build();
    expect(exchangeNamed(d, 'logs')).toMatchObject({ type: 'fanout', durable: false });
    const queues = d.nodes.filter((n) => n.kind === 'queue');
    expect(queues).toHaveLength(2);
    for (const q of queues) {
      expect(keys(d, 'logs', q.id)).toEqual(['']);
      expect(q).toMatchObject({ name: '', durable: false, exclusive: true, autoDelete: false, arguments: {} });
    }
  });

  it('4: direct_logs binds error to one queue and info, warning and error to the other', () => {
    const d = presetById('routing')!.build();
    expect(exchangeNamed(d, 'direct_logs')).toMatchObject({ type: 'direct', durable: false });
    expect(keys(d, 'direct_logs', 'queue-1')).toEqual(['error']);
    expect(keys(d, 'direct_logs', 'queue-2')).toEqual(['info', 'warning', 'error']);
  });

  it("5: topic_logs binds *.orange.* to Q1, *.*.rabbit and lazy.# to Q2, and pins the tutorial's questions", () => {
    const d = presetById('topics')!.build();
    expect(exchangeNamed(d, 'topic_logs')).toMatchObject({ type: 'topic', durable: false });
    expect(keys(d, 'topic_logs', 'queue-1')).toEqual(['*.orange.*']);
    expect(keys(d, 'topic_logs', 'queue-2')).toEqual(['*.*.rabbit', 'lazy.#']);
    expect(d.exercises?.map((e) => e.routingKey)).toEqual(expect.arrayContaining(['quick.orange.rabbit', 'orange', 'quick.orange.new.rabbit', 'lazy.orange.new.rabbit']));
  });

  it('6: rpc_queue is a durable quorum queue with Direct Reply-to, or a transient classic one with a callback queue; the request carries reply-to and a correlation id; rpc_server answers', () => {
    const p = presetById('rpc')!;
    expect(queueNamed(p.build(), 'rpc_queue')).toMatchObject(quorum);
    expect(queueNamed(p.build({ classic: true }), 'rpc_queue')).toMatchObject({ durable: false, arguments: {} });
    for (const [d, replyTo] of [[p.build(), 'amq.rabbitmq.reply-to'], [p.build({ classic: true }), 'rpc_client.callback']] as const) {
      const request = named(d, 'producer', 'rpc_client');
      expect(request.message.properties.replyTo).toBe(replyTo);
      expect(request.target).toEqual({ kind: 'queue', id: queueNamed(d, 'rpc_queue').id });
      expect(typeof request.message.properties.correlationId).toBe('string');
      expect(named(d, 'consumer', 'rpc_server')).toMatchObject({ prefetch: 1, ackMode: 'manual', queue: queueNamed(d, 'rpc_queue').id, reply: '832040' });
      expect(named(d, 'consumer', 'rpc_client')).toMatchObject({ ackMode: 'auto', queue: queueNamed(d, replyTo).id });
      expect(d.nodes.filter((n) => n.kind === 'producer')).toHaveLength(1);
    }
  });

});

describe('the pattern presets', () => {
  it('dead-lettering with retry: work dead-letters to work.dlx, whose queue work.retry expires back to work', () => {
    const d = presetById('dead-letter-retry')!.build();
    expect(queueNamed(d, 'work').arguments).toMatchObject({ 'x-dead-letter-exchange': 'work.dlx' });
    expect(queueNamed(d, 'work.retry').arguments).toMatchObject({ 'x-dead-letter-exchange': 'work', 'x-message-ttl': 5000 });
    expect(keys(d, 'work.dlx', 'work.retry')).toEqual(['']);
    expect(named(d, 'consumer', 'worker').failure).toMatchObject({ action: 'reject-drop' });
    expect(named(d, 'consumer', 'worker').failure.rate).toBeGreaterThan(0);
  });

  it('alternate exchange: orders names orders.unrouted, a fanout exchange in the diagram', () => {
    const d = presetById('alternate-exchange')!.build();
    expect(exchangeNamed(d, 'orders').arguments).toEqual({ 'alternate-exchange': 'orders.unrouted' });
    expect(exchangeNamed(d, 'orders.unrouted').type).toBe('fanout');
  });

  it('priority queue: jobs has x-max-priority, the producers publish with different priorities', () => {
    const d = presetById('priority-queue')!.build();
    expect(queueNamed(d, 'jobs').arguments).toMatchObject({ 'x-max-priority': 10 });
    expect(named(d, 'producer', 'low').message.properties.priority).toBeLessThan(named(d, 'producer', 'high').message.properties.priority as number);
  });

  it('headers routing: one x-match all binding, one x-match any', () => {
    const d = presetById('headers-routing')!.build();
    expect(exchangeNamed(d, 'documents').type).toBe('headers');
    expect(d.bindings.map((b) => b.arguments['x-match']).sort()).toEqual(['all', 'any']);
  });
});
