/**
 * Every action: what it does, that it shares what it did not touch, that it leaves its input
 * alone, and every refusal with its reason.
 */

import { clipOf, paste } from '../../src/document/paste';
import { describe, expect, it } from 'vitest';
import {
  addBinding,
  addNode,
  addNodes,
  batch,
  connect,
  EditRefused,
  linkConsumer,
  linkProducer,
  moveNodes,
  removeBindings,
  removeNodes,
  renameNode,
  setView,
  unwrap,
  updateBinding,
  updateNode,
  type Action,
} from '../../src/document/actions';
import { emptyDiagram, nodeById } from '../../src/document/diagram';
import type { ConsumerNode, Diagram, ExchangeNode, ProducerNode } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';

const at = (x = 0, y = 0) => ({ x, y });

/** producer-1 → exchange-1 (topic) → queue-1, queue-2 → consumer-1 reads queue-1. */
function sample(): Diagram {
  let d = unwrap(
    addNodes([
      { kind: 'producer', position: at(0) },
      { kind: 'exchange', position: at(100) },
      { kind: 'queue', position: at(200, 0) },
      { kind: 'queue', position: at(200, 100) },
      { kind: 'consumer', position: at(300) },
    ]),
    emptyDiagram(),
  );
  d = unwrap(linkProducer('producer-1', 'exchange-1'), d);
  d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'a.*' }), d);
  d = unwrap(addBinding('exchange-1', 'queue-2', { routingKey: '#' }), d);
  d = unwrap(linkConsumer('consumer-1', 'queue-1'), d);
  return d;
}

/** The refusal's reason (fails the test when the action succeeds). */
function reasonOf(action: Action, d: Diagram): string {
  const result = action.perform(d);
  if (result.ok) throw new Error(`expected ${action.label} to be refused`);
  return result.reason;
}

function frozen(d: Diagram): Diagram {
  return structuredClone(d);
}

describe('the sample', () => {
  it('is valid', () => {
    const d = sample();
    expect(validateDiagram(d)).toEqual([]);
    expect(d.bindings.map((b) => b.id)).toEqual(['binding-1', 'binding-2']);
  });
});

describe('addNode / addNodes', () => {
  it('adds with defaults, reports the new id, and shares the old arrays', () => {
    const d = sample();
    const result = addNode({ kind: 'queue', position: at(5, 6) }).perform(d);
    expect(result).toMatchObject({ ok: true, created: ['queue-3'] });
    if (!result.ok) return;
    expect(result.diagram.nodes.at(-1)).toMatchObject({ id: 'queue-3', name: 'queue-3', position: { x: 5, y: 6 }, durable: true });
    expect(result.diagram.bindings).toBe(d.bindings);
    expect(result.diagram.nodes.slice(0, -1).every((n, i) => n === d.nodes[i])).toBe(true);
  });

  it('takes the fields given, and copies them', () => {
    const args = { 'x-message-ttl': 5000 };
    const action = addNode({ kind: 'queue', position: at(), name: 'orders', durable: false, arguments: args });
    args['x-message-ttl'] = 1;
    const d = unwrap(action, emptyDiagram());
    expect(d.nodes[0]).toMatchObject({ name: 'orders', durable: false, arguments: { 'x-message-ttl': 5000 } });
  });

  it('adds several in one step, linked to each other by explicit ids', () => {
    const result = addNodes([
      { kind: 'queue', position: at(), id: 'q' },
      { kind: 'consumer', position: at(), queue: 'q' },
      { kind: 'queue', position: at() },
    ]).perform(emptyDiagram());
    expect(result).toMatchObject({ ok: true, created: ['q', 'consumer-1', 'queue-1'] });
    if (result.ok) expect(result.diagram.nodes.map((n) => n.name)).toEqual(['queue-1', 'consumer-1', 'queue-2']);
  });

  it('refuses taken names and ids, bad names, unknown fields and bad values', () => {
    const d = sample();
    expect(reasonOf(addNode({ kind: 'queue', position: at(), name: 'queue-1' }), d)).toBe("there is already a queue named 'queue-1' in the diagram");
    expect(reasonOf(addNode({ kind: 'exchange', position: at(), name: 'exchange-1' }), d)).toBe("there is already an exchange named 'exchange-1' in the diagram");
    expect(reasonOf(addNode({ kind: 'queue', position: at(), id: 'exchange-1' }), d)).toBe("an element with id 'exchange-1' is already in the diagram");
    expect(reasonOf(addNode({ kind: 'queue', position: at(), id: 'binding-1' }), d)).toBe("an element with id 'binding-1' is already in the diagram");
    expect(reasonOf(addNode({ kind: 'exchange', position: at(), name: 'amq.mine' }), d)).toMatch(/reserved prefix 'amq\.\*'/);
    expect(reasonOf(addNode({ kind: 'consumer', position: at(), name: '' }), d)).toMatch(/needs a name/);
    // An empty queue name is a server-named queue: any number of them.
    expect(addNodes([{ kind: 'queue', position: at(), name: '' }, { kind: 'queue', position: at(), name: '' }]).perform(d).ok).toBe(true);
    expect(reasonOf(addNode({ kind: 'queue', position: at(), prefetch: 3 } as never), d)).toBe("a queue has no field 'prefetch'");
    expect(reasonOf(addNode({ kind: 'consumer', position: at(), prefetch: 70000 }), d)).toMatch(/prefetch is a whole number from 0/);
    expect(reasonOf(addNode({ kind: 'consumer', position: at(), failure: { rate: 2, action: 'nack-drop' } }), d)).toMatch(/share from 0 to 1/);
    expect(reasonOf(addNode({ kind: 'producer', position: at(), mode: { kind: 'burst', count: 0 } }), d)).toMatch(/at least 1/);
    expect(reasonOf(addNode({ kind: 'exchange', position: at(), type: 'x-weird' as never }), d)).toMatch(/unknown exchange type 'x-weird'/);
    expect(reasonOf(addNode({ kind: 'queue', position: at(Number.NaN) }), d)).toMatch(/finite x and y/);
    expect(reasonOf(addNode({ kind: 'exchange', position: at(), name: 'amq.topic', type: 'direct' }), d)).toMatch(/is built in: it is a topic exchange/);
    expect(reasonOf(addNodes([{ kind: 'queue', position: at(), name: 'z' }, { kind: 'queue', position: at(), name: 'z' }]), d)).toMatch(/already a queue named 'z'/);
    expect(reasonOf(addNode({ kind: 'consumer', position: at(), queue: 'exchange-1' }), d)).toMatch(/cannot consume from exchange 'exchange-1'/);
    expect(reasonOf(addNode({ kind: 'producer', position: at(), target: { kind: 'queue', id: 'nope' } }), d)).toMatch(/publishes to 'nope', which is not in the diagram/);
  });

  it('places the default exchange once', () => {
    const d = unwrap(addNode({ kind: 'exchange', position: at(), name: '' }), emptyDiagram());
    expect(reasonOf(addNode({ kind: 'exchange', position: at(), name: '' }), d)).toBe('the default exchange is already in the diagram');
  });

  it('does nothing for no drafts', () => {
    const d = sample();
    expect(addNodes([]).perform(d)).toEqual({ ok: true, diagram: d });
  });
});

describe('moveNodes', () => {
  it('moves many at once and shares the rest', () => {
    const d = sample();
    const next = unwrap(moveNodes([{ id: 'queue-1', position: at(1, 2) }, { id: 'queue-2', position: at(3, 4) }]), d);
    expect(nodeById(next, 'queue-1')?.position).toEqual({ x: 1, y: 2 });
    expect(nodeById(next, 'queue-2')?.position).toEqual({ x: 3, y: 4 });
    expect(nodeById(next, 'exchange-1')).toBe(nodeById(d, 'exchange-1'));
    expect(next.bindings).toBe(d.bindings);
    expect(moveNodes([{ id: 'queue-1', position: at() }]).label).toBe('Move node');
    expect(moveNodes([{ id: 'a', position: at() }, { id: 'b', position: at() }]).label).toBe('Move 2 nodes');
  });

  it('returns the same diagram when nothing moves', () => {
    const d = sample();
    expect(unwrap(moveNodes([{ id: 'queue-1', position: at(200, 0) }]), d)).toBe(d);
  });

  it('refuses unknown nodes and positions that are not finite', () => {
    const d = sample();
    expect(reasonOf(moveNodes([{ id: 'queue-1', position: at(1) }, { id: 'ghost', position: at() }]), d)).toBe("no node 'ghost' in the diagram");
    expect(reasonOf(moveNodes([{ id: 'queue-1', position: at(Infinity) }]), d)).toMatch(/finite x and y/);
  });
});

describe('updateNode', () => {
  it('sets fields of any kind', () => {
    let d = sample();
    d = unwrap(updateNode('exchange-1', { type: 'direct', arguments: { 'alternate-exchange': 'ae' } }), d);
    d = unwrap(updateNode('queue-1', { durable: false, exclusive: true }), d);
    d = unwrap(updateNode('producer-1', { message: { routingKey: 'a.b', body: 'x', properties: { persistent: true } }, mode: { kind: 'rate', perSecond: 2 } }), d);
    d = unwrap(updateNode('consumer-1', { prefetch: 0, ackMode: 'auto', failure: { rate: 0.5, action: 'reject-drop' }, running: false }), d);
    expect(nodeById(d, 'exchange-1')).toMatchObject({ type: 'direct', arguments: { 'alternate-exchange': 'ae' } });
    expect(nodeById(d, 'queue-1')).toMatchObject({ durable: false, exclusive: true });
    expect(nodeById(d, 'producer-1')).toMatchObject({ message: { routingKey: 'a.b' }, mode: { kind: 'rate', perSecond: 2 } });
    expect(nodeById(d, 'consumer-1')).toMatchObject({ prefetch: 0, ackMode: 'auto', running: false });
    expect(validateDiagram(d)).toEqual([]);
  });

  it('returns the same diagram when nothing changes', () => {
    const d = sample();
    expect(unwrap(updateNode('queue-1', { durable: true, arguments: { 'x-queue-type': 'classic' } }), d)).toBe(d);
  });

  it('ignores fields given as undefined', () => {
    const d = sample();
    expect(unwrap(updateNode('queue-1', { durable: undefined }), d)).toBe(d);
    expect(unwrap(addNode({ kind: 'queue', position: at(), name: undefined, durable: undefined }), d).nodes.at(-1)).toMatchObject({ name: 'queue-3', durable: true });
    expect(unwrap(addBinding('exchange-1', 'queue-2', { routingKey: undefined }), d).bindings.at(-1)?.routingKey).toBe('');
  });

  it('is labelled by the field it changes', () => {
    expect(updateNode('c', { prefetch: 2 }).label).toBe('Change prefetch');
    expect(updateNode('q', { arguments: {} }).label).toBe('Change arguments');
    expect(updateNode('x', { type: 'direct', durable: false }).label).toBe('Edit node');
  });

  it('refuses unknown nodes, unknown fields, id and kind, and bad values', () => {
    const d = sample();
    expect(reasonOf(updateNode('ghost', { durable: true }), d)).toBe("no node 'ghost' in the diagram");
    expect(reasonOf(updateNode('queue-1', { prefetch: 2 }), d)).toBe("a queue has no field 'prefetch'");
    expect(reasonOf(updateNode('queue-1', { id: 'x' } as never), d)).toBe("a node's id never changes");
    expect(reasonOf(updateNode('queue-1', { kind: 'exchange' } as never), d)).toBe("a node's kind never changes");
    expect(reasonOf(updateNode('consumer-1', { workMs: -1 }), d)).toMatch(/work time/);
    expect(reasonOf(updateNode('queue-1', { arguments: [] as never }), d)).toMatch(/arguments must be a table/);
  });

  it('refuses making an exchange internal while a producer publishes to it', () => {
    expect(reasonOf(updateNode('exchange-1', { internal: true }), sample())).toMatch(/it is internal, and RabbitMQ refuses publishes to an internal exchange/);
  });

  it('refuses changing a built-in exchange', () => {
    const d = unwrap(addNode({ kind: 'exchange', position: at(), name: 'amq.direct' }), sample());
    expect(reasonOf(updateNode('exchange-2', { durable: false }), d)).toBe(
      "exchange 'amq.direct' is built in: it is a direct exchange (durable, not internal, no arguments), and that cannot change",
    );
  });
});

describe('renameNode', () => {
  it('changes the RabbitMQ name, keeping the id and the links', () => {
    const d = sample();
    const next = unwrap(renameNode('queue-1', 'orders'), d);
    expect(nodeById(next, 'queue-1')?.name).toBe('orders');
    expect(next.bindings).toBe(d.bindings);
    expect((nodeById(next, 'consumer-1') as ConsumerNode).queue).toBe('queue-1');
    expect(renameNode('q', 'orders').label).toBe("Rename to 'orders'");
  });

  it('makes an exchange the built-in of that name, with its declaration', () => {
    const next = unwrap(renameNode('exchange-1', 'amq.fanout'), sample());
    expect(nodeById(next, 'exchange-1')).toMatchObject({ name: 'amq.fanout', type: 'fanout', durable: true, autoDelete: false, internal: false, arguments: {} });
  });

  it('refuses taken names, reserved names, and a default exchange with bindings', () => {
    const d = sample();
    expect(reasonOf(renameNode('queue-1', 'queue-2'), d)).toBe("there is already a queue named 'queue-2' in the diagram");
    expect(reasonOf(renameNode('queue-1', 'amq.q'), d)).toMatch(/reserved prefix/);
    expect(reasonOf(renameNode('exchange-1', ''), d)).toMatch(/the default exchange cannot be bound/);
    expect(reasonOf(renameNode('exchange-1', 'amq.rabbitmq.trace'), d)).toMatch(/internal/);
    expect(reasonOf(renameNode('consumer-1', ''), d)).toBe('a consumer needs a name');
  });
});

describe('removeNodes', () => {
  it('removes the nodes, the bindings from and to them, and unlinks producers and consumers', () => {
    const d = sample();
    const next = unwrap(removeNodes(['exchange-1', 'queue-1']), d);
    expect(next.nodes.map((n) => n.id)).toEqual(['producer-1', 'queue-2', 'consumer-1']);
    expect(next.bindings).toEqual([]);
    expect((nodeById(next, 'producer-1') as ProducerNode).target).toBeNull();
    expect((nodeById(next, 'consumer-1') as ConsumerNode).queue).toBeNull();
    expect(nodeById(next, 'queue-2')).toBe(nodeById(d, 'queue-2'));
    expect(validateDiagram(next)).toEqual([]);
  });

  it('removes exchange-to-exchange bindings both ways', () => {
    let d = unwrap(addNode({ kind: 'exchange', position: at() }), sample());
    d = unwrap(addBinding('exchange-1', 'exchange-2'), d);
    d = unwrap(addBinding('exchange-2', 'exchange-1'), d);
    d = unwrap(addBinding('exchange-2', 'queue-2'), d);
    const next = unwrap(removeNodes(['exchange-2']), d);
    expect(next.bindings.map((b) => b.id)).toEqual(['binding-1', 'binding-2']);
  });

  it('shares the bindings array when none go', () => {
    const d = sample();
    expect(unwrap(removeNodes(['consumer-1']), d).bindings).toBe(d.bindings);
  });

  it('refuses unknown nodes', () => {
    expect(reasonOf(removeNodes(['queue-1', 'ghost']), sample())).toBe("no node 'ghost' in the diagram");
  });
});

describe('addBinding', () => {
  it('binds an exchange to a queue or an exchange, including built-ins', () => {
    let d = unwrap(addNodes([{ kind: 'exchange', position: at(), name: 'amq.topic' }, { kind: 'exchange', position: at() }]), sample());
    const result = addBinding('exchange-2', 'queue-2', { routingKey: 'k', arguments: { a: 1 } }).perform(d);
    expect(result).toMatchObject({ ok: true, created: ['binding-3'] });
    if (!result.ok) return;
    d = result.diagram;
    expect(d.bindings.at(-1)).toEqual({ id: 'binding-3', source: 'exchange-2', destination: { kind: 'queue', id: 'queue-2' }, routingKey: 'k', arguments: { a: 1 } });
    d = unwrap(addBinding('exchange-1', 'exchange-3'), d);
    d = unwrap(addBinding('exchange-3', 'exchange-2'), d);
    expect(d.bindings.slice(-2).map((b) => b.destination)).toEqual([
      { kind: 'exchange', id: 'exchange-3' },
      { kind: 'exchange', id: 'exchange-2' },
    ]);
    // RabbitMQ lets an exchange be bound to itself.
    d = unwrap(addBinding('exchange-1', 'exchange-1', { routingKey: 'loop' }), d);
    expect(validateDiagram(d)).toEqual([]);
  });

  it('refuses impossible links with the reason', () => {
    let d = unwrap(addNode({ kind: 'exchange', position: at(), name: '' }), sample());
    d = unwrap(addNode({ kind: 'producer', position: at() }), d);
    expect(reasonOf(addBinding('producer-1', 'consumer-1'), d)).toMatch(/a producer is not bound: it publishes/);
    expect(reasonOf(addBinding('queue-1', 'queue-2'), d)).toMatch(/a queue cannot feed another queue/);
    expect(reasonOf(addBinding('queue-1', 'exchange-1'), d)).toMatch(/a queue does not publish to an exchange/);
    expect(reasonOf(addBinding('queue-1', 'consumer-1'), d)).toMatch(/link the consumer to the queue/);
    expect(reasonOf(addBinding('exchange-1', 'producer-1'), d)).toBe('nothing flows into a producer: it only publishes');
    expect(reasonOf(addBinding('exchange-1', 'consumer-1'), d)).toMatch(/cannot route to a consumer/);
    expect(reasonOf(addBinding('consumer-1', 'queue-1'), d)).toMatch(/a consumer only receives/);
    expect(reasonOf(addBinding('exchange-2', 'queue-1'), d)).toMatch(/^the default exchange cannot be bound.*operation not permitted on the default exchange/);
    expect(reasonOf(addBinding('exchange-1', 'exchange-2'), d)).toMatch(/^nothing can be bound to the default exchange/);
    expect(reasonOf(addBinding('exchange-1', 'ghost'), d)).toBe("no node 'ghost' in the diagram");
    expect(reasonOf(addBinding('exchange-1', 'queue-1', { routingKey: 'x'.repeat(256) }), d)).toMatch(/at most 255 bytes/);
  });

  it('refuses a binding that exists (same key and arguments, in any order)', () => {
    let d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'k', arguments: { a: 1, b: 2 } }), sample());
    expect(reasonOf(addBinding('exchange-1', 'queue-1', { routingKey: 'k', arguments: { b: 2, a: 1 } }), d)).toMatch(
      /exchange 'exchange-1' is already bound to queue 'queue-1' with key 'k'.*RabbitMQ identifies a binding by its source, destination, key and arguments/,
    );
    // Other arguments make another binding.
    d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'k', arguments: { a: 2 } }), d);
    expect(d.bindings).toHaveLength(4);
  });
});

describe('updateBinding', () => {
  it('changes the key and arguments', () => {
    const d = sample();
    const next = unwrap(updateBinding('binding-1', { routingKey: 'b.#', arguments: { x: true } }), d);
    expect(next.bindings[0]).toMatchObject({ id: 'binding-1', routingKey: 'b.#', arguments: { x: true } });
    expect(next.bindings[1]).toBe(d.bindings[1]);
    expect(next.nodes).toBe(d.nodes);
  });

  it('reconnects either end', () => {
    let d = unwrap(addNode({ kind: 'exchange', position: at() }), sample());
    d = unwrap(updateBinding('binding-1', { destination: 'exchange-2' }), d);
    expect(d.bindings[0]?.destination).toEqual({ kind: 'exchange', id: 'exchange-2' });
    d = unwrap(updateBinding('binding-1', { source: 'exchange-2', destination: 'queue-1' }), d);
    expect(d.bindings[0]).toMatchObject({ source: 'exchange-2', destination: { kind: 'queue', id: 'queue-1' } });
  });

  it('returns the same diagram when nothing changes', () => {
    const d = sample();
    expect(unwrap(updateBinding('binding-1', { routingKey: 'a.*' }), d)).toBe(d);
  });

  it('refuses unknown bindings and fields, impossible ends and duplicates', () => {
    const d = sample();
    expect(reasonOf(updateBinding('ghost', { routingKey: 'x' }), d)).toBe("no binding 'ghost' in the diagram");
    expect(reasonOf(updateBinding('binding-1', { id: 'x' } as never), d)).toBe("a binding has no field 'id' to change");
    expect(reasonOf(updateBinding('binding-1', { destination: 'consumer-1' }), d)).toMatch(/cannot route to a consumer/);
    expect(reasonOf(updateBinding('binding-1', { source: 'queue-2' }), d)).toMatch(/a queue cannot feed another queue/);
    expect(reasonOf(updateBinding('binding-1', { destination: 'queue-2', routingKey: '#' }), d)).toMatch(/is already bound to/);
  });
});

describe('removeBindings', () => {
  it('removes bindings only', () => {
    const d = sample();
    const next = unwrap(removeBindings(['binding-2']), d);
    expect(next.bindings.map((b) => b.id)).toEqual(['binding-1']);
    expect(next.nodes).toBe(d.nodes);
    expect(removeBindings(['a']).label).toBe('Delete binding');
    expect(removeBindings(['a', 'b']).label).toBe('Delete 2 bindings');
  });

  it('refuses unknown bindings', () => {
    expect(reasonOf(removeBindings(['binding-1', 'ghost']), sample())).toBe("no binding 'ghost' in the diagram");
  });
});

describe('linkProducer', () => {
  it('targets an exchange or a queue, or nothing', () => {
    let d = sample();
    d = unwrap(linkProducer('producer-1', 'queue-2'), d);
    expect((nodeById(d, 'producer-1') as ProducerNode).target).toEqual({ kind: 'queue', id: 'queue-2' });
    d = unwrap(linkProducer('producer-1', null), d);
    expect((nodeById(d, 'producer-1') as ProducerNode).target).toBeNull();
    expect(linkProducer('p', null).label).toBe('Unlink producer');
  });

  it('returns the same diagram when the target is the same', () => {
    const d = sample();
    expect(unwrap(linkProducer('producer-1', 'exchange-1'), d)).toBe(d);
  });

  it('refuses consumers, producers, internal exchanges and non-producers', () => {
    let d = unwrap(addNodes([{ kind: 'producer', position: at() }, { kind: 'exchange', position: at(), name: 'amq.rabbitmq.trace' }]), sample());
    expect(reasonOf(linkProducer('producer-1', 'consumer-1'), d)).toMatch(/cannot send to consumer 'consumer-1' directly: messages go through an exchange into a queue/);
    expect(reasonOf(linkProducer('producer-1', 'producer-2'), d)).toMatch(/cannot publish to another producer/);
    expect(reasonOf(linkProducer('producer-1', 'exchange-2'), d)).toMatch(/'amq.rabbitmq.trace'.*internal.*403 ACCESS_REFUSED/);
    expect(reasonOf(linkProducer('queue-1', 'exchange-1'), d)).toBe("queue 'queue-1' is not a producer");
    expect(reasonOf(linkProducer('producer-1', 'ghost'), d)).toBe("no node 'ghost' in the diagram");
    d = unwrap(addNode({ kind: 'exchange', position: at(), name: '' }), d);
    // Publishing to the default exchange is fine.
    expect(linkProducer('producer-1', 'exchange-3').perform(d).ok).toBe(true);
  });
});

describe('linkConsumer', () => {
  it('reads a queue, or nothing', () => {
    let d = unwrap(linkConsumer('consumer-1', 'queue-2'), sample());
    expect((nodeById(d, 'consumer-1') as ConsumerNode).queue).toBe('queue-2');
    d = unwrap(linkConsumer('consumer-1', null), d);
    expect((nodeById(d, 'consumer-1') as ConsumerNode).queue).toBeNull();
  });

  it('refuses exchanges, producers and non-consumers', () => {
    const d = sample();
    expect(reasonOf(linkConsumer('consumer-1', 'exchange-1'), d)).toMatch(/consumers read queues; bind a queue to the exchange/);
    expect(reasonOf(linkConsumer('consumer-1', 'producer-1'), d)).toMatch(/cannot consume from a producer/);
    expect(reasonOf(linkConsumer('queue-1', 'queue-2'), d)).toBe("queue 'queue-1' is not a consumer");
  });
});

describe('connect', () => {
  it('is a producer link, a binding or a consumer link, by the kinds at its ends', () => {
    let d = unwrap(addNodes([{ kind: 'producer', position: at() }, { kind: 'consumer', position: at() }, { kind: 'exchange', position: at() }]), sample());
    d = unwrap(connect('producer-2', 'queue-2'), d);
    expect((nodeById(d, 'producer-2') as ProducerNode).target).toEqual({ kind: 'queue', id: 'queue-2' });
    d = unwrap(connect('queue-2', 'consumer-2'), d);
    expect((nodeById(d, 'consumer-2') as ConsumerNode).queue).toBe('queue-2');
    const result = connect('exchange-1', 'exchange-2', { routingKey: 'k' }).perform(d);
    expect(result).toMatchObject({ ok: true, created: ['binding-3'] });
  });

  it('refuses every impossible line with the reason', () => {
    const d = sample();
    expect(reasonOf(connect('producer-1', 'consumer-1'), d)).toMatch(/cannot send to consumer 'consumer-1' directly/);
    expect(reasonOf(connect('queue-1', 'queue-2'), d)).toMatch(/a queue cannot feed another queue/);
    expect(reasonOf(connect('exchange-1', 'producer-1'), d)).toBe('nothing flows into a producer: it only publishes');
    expect(reasonOf(connect('queue-1', 'producer-1'), d)).toBe('nothing flows into a producer: it only publishes');
    expect(reasonOf(connect('consumer-1', 'queue-1'), d)).toMatch(/a consumer only receives/);
    expect(reasonOf(connect('queue-1', 'exchange-1'), d)).toMatch(/x-dead-letter-exchange/);
    expect(reasonOf(connect('exchange-1', 'consumer-1'), d)).toMatch(/cannot route to a consumer/);
    expect(reasonOf(connect('ghost', 'queue-1'), d)).toBe("no node 'ghost' in the diagram");
  });
});

describe('paste', () => {
  it('gives fresh ids, shifted positions and unique names, keeping the links inside the clip', () => {
    const d = sample();
    const clip = clipOf(d, ['producer-1', 'exchange-1', 'queue-1', 'consumer-1']);
    expect(clip.bindings.map((b) => b.id)).toEqual(['binding-1']);
    const result = paste(clip, { x: 10, y: 20 }).perform(d);
    expect(result).toMatchObject({ ok: true, created: ['producer-2', 'exchange-2', 'queue-3', 'consumer-2', 'binding-3'] });
    if (!result.ok) return;
    const next = result.diagram;
    expect(next.nodes.slice(5).map((n) => [n.id, n.name, n.position])).toEqual([
      ['producer-2', 'producer-2', { x: 10, y: 20 }],
      ['exchange-2', 'exchange-2', { x: 110, y: 20 }],
      ['queue-3', 'queue-3', { x: 210, y: 20 }],
      ['consumer-2', 'consumer-2', { x: 310, y: 20 }],
    ]);
    expect((nodeById(next, 'producer-2') as ProducerNode).target).toEqual({ kind: 'exchange', id: 'exchange-2' });
    expect((nodeById(next, 'consumer-2') as ConsumerNode).queue).toBe('queue-3');
    expect(next.bindings.at(-1)).toEqual({ id: 'binding-3', source: 'exchange-2', destination: { kind: 'queue', id: 'queue-3' }, routingKey: 'a.*', arguments: {} });
    expect(validateDiagram(next)).toEqual([]);
  });

  it('makes names unique again on every paste', () => {
    let d = unwrap(addNode({ kind: 'queue', position: at(), name: 'orders' }), emptyDiagram());
    const clip = clipOf(d, ['queue-1']);
    d = unwrap(paste(clip), d);
    d = unwrap(paste(clip), d);
    d = unwrap(paste(clipOf(d, ['queue-1', 'queue-2', 'queue-3'])), d);
    const names = d.nodes.map((n) => n.name);
    expect(names).toEqual(['orders', 'orders-2', 'orders-3', 'orders-4', 'orders-5', 'orders-6']);
    expect(new Set(d.nodes.map((n) => n.id)).size).toBe(6);
    expect(validateDiagram(d)).toEqual([]);
  });

  it('drops links that leave the clip', () => {
    const d = sample();
    const clip = clipOf(d, ['producer-1', 'queue-2', 'consumer-1']);
    expect(clip.bindings).toEqual([]);
    expect(clip.nodes.map((n) => (n.kind === 'producer' ? n.target : n.kind === 'consumer' ? n.queue : 'q'))).toEqual([null, 'q', null]);
  });

  it('uses a built-in exchange the diagram has instead of a second one', () => {
    let d = unwrap(addNodes([{ kind: 'exchange', position: at(), name: 'amq.topic' }, { kind: 'queue', position: at() }]), emptyDiagram());
    d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'k' }), d);
    const result = paste(clipOf(d, ['exchange-1', 'queue-1'])).perform(d);
    expect(result).toMatchObject({ ok: true, created: ['queue-2', 'binding-2'] });
    if (!result.ok) return;
    expect(result.diagram.nodes.map((n) => n.name)).toEqual(['amq.topic', 'queue-1', 'queue-2']);
    expect(result.diagram.bindings[1]).toMatchObject({ source: 'exchange-1', destination: { id: 'queue-2' } });
    // Into a diagram without it, the built-in comes along.
    const fresh = unwrap(paste(clipOf(d, ['exchange-1'])), emptyDiagram());
    expect(fresh.nodes).toMatchObject([{ id: 'exchange-1', name: 'amq.topic' }]);
  });

  it('does nothing for an empty clip; refuses a broken one', () => {
    const d = sample();
    expect(unwrap(paste({ nodes: [], bindings: [] }), d)).toBe(d);
    const node = { ...(nodeById(d, 'exchange-1') as ExchangeNode), type: 'nope' } as unknown as ExchangeNode;
    expect(reasonOf(paste({ nodes: [node], bindings: [] }), d)).toMatch(/^cannot paste: .*unknown exchange type 'nope'/);
    expect(reasonOf(paste({ nodes: [nodeById(d, 'queue-1')!, nodeById(d, 'queue-1')!], bindings: [] }), d)).toBe("the clip has two nodes with the id 'queue-1'");
  });

  it('does not alias the clip', () => {
    const d = sample();
    const clip = clipOf(d, ['queue-1']);
    const next = unwrap(paste(clip), d);
    clip.nodes[0]!.name = 'changed';
    expect(nodeById(next, 'queue-3')?.name).toBe('queue-3');
  });
});

describe('setView', () => {
  it('sets and clears the view, unrecorded', () => {
    const d = sample();
    const action = setView({ x: 1, y: 2, zoom: 1.5 });
    expect(action.recorded).toBe(false);
    const next = unwrap(action, d);
    expect(next.view).toEqual({ x: 1, y: 2, zoom: 1.5 });
    expect(next.nodes).toBe(d.nodes);
    expect(unwrap(setView({ x: 1, y: 2, zoom: 1.5 }), next)).toBe(next);
    expect('view' in unwrap(setView(undefined), next)).toBe(false);
    expect(reasonOf(setView({ x: 0, y: 0, zoom: 0 }), d)).toMatch(/zoom above 0/);
  });
});

describe('batch', () => {
  it('performs actions in order as one edit', () => {
    const d = sample();
    const result = batch('Delete selection', [removeBindings(['binding-1']), removeNodes(['queue-2'])]).perform(d);
    expect(result.ok && result.diagram.bindings).toEqual([]);
    const created = batch('Two queues', [addNode({ kind: 'queue', position: at() }), addNode({ kind: 'queue', position: at() })]).perform(d);
    expect(created).toMatchObject({ ok: true, created: ['queue-3', 'queue-4'] });
  });

  it('is refused as a whole', () => {
    const d = sample();
    expect(reasonOf(batch('x', [removeNodes(['queue-1']), removeNodes(['queue-1'])]), d)).toBe("no node 'queue-1' in the diagram");
  });
});

describe('purity', () => {
  it('never mutates the input diagram', () => {
    const d = sample();
    const copy = frozen(d);
    const actions: Action[] = [
      addNode({ kind: 'queue', position: at() }),
      moveNodes([{ id: 'queue-1', position: at(9, 9) }]),
      updateNode('consumer-1', { prefetch: 5 }),
      renameNode('exchange-1', 'amq.topic'),
      removeNodes(['exchange-1']),
      addBinding('exchange-1', 'queue-1', { routingKey: 'z' }),
      updateBinding('binding-1', { routingKey: 'z' }),
      removeBindings(['binding-1']),
      linkProducer('producer-1', 'queue-1'),
      linkConsumer('consumer-1', 'queue-2'),
      connect('producer-1', 'queue-2'),
      paste(clipOf(d, ['exchange-1', 'queue-1'])),
      setView({ x: 0, y: 0, zoom: 1 }),
    ];
    for (const a of actions) {
      const first = a.perform(d);
      expect(first.ok).toBe(true);
      expect(a.perform(d)).toEqual(first);
    }
    expect(d).toEqual(copy);
  });

  it('throws EditRefused from unwrap', () => {
    expect(() => unwrap(removeNodes(['ghost']), sample())).toThrow(EditRefused);
    expect(() => unwrap(removeNodes(['ghost']), sample())).toThrow("Delete node: no node 'ghost' in the diagram");
  });
});
