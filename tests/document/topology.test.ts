/**
 * What the broker and the clients derive from a diagram, and the broker operations between two
 * diagrams, on hand-picked before/after pairs (checked op by op, and replayed on the simulated
 * broker).
 */

import { describe, expect, it } from 'vitest';
import {
  addBinding,
  addNode,
  addNodes,
  linkConsumer,
  linkProducer,
  removeBindings,
  removeNodes,
  renameNode,
  unwrap,
  updateBinding,
  updateNode,
  type Action,
} from '../../src/document/actions';
import { emptyDiagram } from '../../src/document/diagram';
import { clientsOf, diffTopology, topologyOf, type TopologyOp } from '../../src/document/topology';
import type { Diagram } from '../../src/document/types';
import { SimBroker } from './support/sim';

const at = { x: 0, y: 0 };

/** exchange 'logs' (topic) → queue 'q1' (key a.*) and → exchange 'audit' (fanout) → queue 'q2'. */
function sample(): Diagram {
  let d = unwrap(
    addNodes([
      { kind: 'exchange', position: at, name: 'logs' },
      { kind: 'exchange', position: at, name: 'audit', type: 'fanout' },
      { kind: 'queue', position: at, name: 'q1' },
      { kind: 'queue', position: at, name: 'q2', arguments: {} },
      { kind: 'producer', position: at },
      { kind: 'consumer', position: at },
    ]),
    emptyDiagram(),
  );
  d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'a.*' }), d);
  d = unwrap(addBinding('exchange-1', 'exchange-2', { routingKey: '#' }), d);
  d = unwrap(addBinding('exchange-2', 'queue-2'), d);
  return d;
}

const run = (d: Diagram, ...actions: Action[]) => actions.reduce((acc, a) => unwrap(a, acc), d);

describe('topologyOf', () => {
  it('lists exchanges, queues and bindings by RabbitMQ name, sorted', () => {
    expect(topologyOf(sample())).toEqual({
      exchanges: [
        { name: 'audit', type: 'fanout', durable: true, autoDelete: false, internal: false, arguments: {} },
        { name: 'logs', type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {} },
      ],
      queues: [
        { name: 'q1', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } },
        { name: 'q2', durable: true, exclusive: false, autoDelete: false, arguments: {} },
      ],
      bindings: [
        { source: 'audit', destinationKind: 'queue', destination: 'q2', routingKey: '', arguments: {} },
        { source: 'logs', destinationKind: 'exchange', destination: 'audit', routingKey: '#', arguments: {} },
        { source: 'logs', destinationKind: 'queue', destination: 'q1', routingKey: 'a.*', arguments: {} },
      ],
    });
  });

  it('leaves built-in exchanges out but keeps their bindings', () => {
    const d = run(
      sample(),
      addNodes([{ kind: 'exchange', position: at, name: 'amq.topic' }, { kind: 'exchange', position: at, name: '' }]),
      addBinding('exchange-3', 'queue-1', { routingKey: 'x.#' }),
      addBinding('exchange-1', 'exchange-3'),
    );
    const t = topologyOf(d);
    expect(t.exchanges.map((x) => x.name)).toEqual(['audit', 'logs']);
    expect(t.bindings).toContainEqual({ source: 'amq.topic', destinationKind: 'queue', destination: 'q1', routingKey: 'x.#', arguments: {} });
    expect(t.bindings).toContainEqual({ source: 'logs', destinationKind: 'exchange', destination: 'amq.topic', routingKey: '', arguments: {} });
  });

  it('skips bindings no broker could hold, should an invalid diagram get this far', () => {
    const d = run(sample(), addNode({ kind: 'exchange', position: at, name: '' }));
    const invalid: Diagram = {
      ...d,
      bindings: [
        ...d.bindings,
        { id: 'from-default', source: 'exchange-3', destination: { kind: 'queue', id: 'queue-1' }, routingKey: 'q1', arguments: {} },
        { id: 'to-default', source: 'exchange-1', destination: { kind: 'exchange', id: 'exchange-3' }, routingKey: '', arguments: {} },
        { id: 'dangling', source: 'exchange-1', destination: { kind: 'queue', id: 'gone' }, routingKey: '', arguments: {} },
      ],
    };
    expect(topologyOf(invalid)).toEqual(topologyOf(d));
  });

  it('is empty for an empty diagram; producers and consumers are not topology', () => {
    expect(topologyOf(emptyDiagram())).toEqual({ exchanges: [], queues: [], bindings: [] });
    expect(topologyOf(unwrap(addNodes([{ kind: 'producer', position: at }, { kind: 'consumer', position: at }]), emptyDiagram()))).toEqual({ exchanges: [], queues: [], bindings: [] });
  });
});

describe('clientsOf', () => {
  it('gives producers a publish target and consumers a queue name', () => {
    let d = run(sample(), updateNode('producer-1', { message: { routingKey: 'a.b', body: 'hi', properties: { persistent: true } }, mode: { kind: 'burst', count: 3 } }));
    d = run(d, linkProducer('producer-1', 'exchange-1'), linkConsumer('consumer-1', 'queue-2'), addNodes([{ kind: 'producer', position: at, message: { routingKey: 'ignored', body: '', properties: {} } }, { kind: 'consumer', position: at, running: false }]));
    d = run(d, linkProducer('producer-2', 'queue-1'));
    expect(clientsOf(d)).toEqual({
      producers: [
        { id: 'producer-1', name: 'producer-1', target: { exchange: 'logs', routingKey: 'a.b' }, message: { routingKey: 'a.b', body: 'hi', properties: { persistent: true } }, mode: { kind: 'burst', count: 3 } },
        { id: 'producer-2', name: 'producer-2', target: { exchange: '', routingKey: 'q1' }, message: { routingKey: 'ignored', body: '', properties: {} }, mode: { kind: 'once' } },
      ],
      consumers: [
        { id: 'consumer-1', name: 'consumer-1', queue: 'q2', prefetch: 1, ackMode: 'manual', workMs: 1000, failure: { rate: 0, action: 'nack-requeue' }, running: true, reply: null },
        { id: 'consumer-2', name: 'consumer-2', queue: null, prefetch: 1, ackMode: 'manual', workMs: 1000, failure: { rate: 0, action: 'nack-requeue' }, running: false, reply: null },
      ],
    });
  });

  it('follows renames, and gives no target to an unlinked producer', () => {
    let d = run(sample(), linkProducer('producer-1', 'queue-1'), linkConsumer('consumer-1', 'queue-1'), renameNode('queue-1', 'renamed'));
    expect(clientsOf(d).producers[0]?.target).toEqual({ exchange: '', routingKey: 'renamed' });
    expect(clientsOf(d).consumers[0]?.queue).toBe('renamed');
    d = run(d, removeNodes(['queue-1']));
    expect(clientsOf(d).producers[0]?.target).toBeNull();
  });

  it('publishes to the default exchange when linked to it', () => {
    const d = run(sample(), addNode({ kind: 'exchange', position: at, name: '' }), updateNode('producer-1', { message: { routingKey: 'q2', body: '', properties: {} } }), linkProducer('producer-1', 'exchange-3'));
    expect(clientsOf(d).producers[0]?.target).toEqual({ exchange: '', routingKey: 'q2' });
  });
});

/** The diff between two diagrams, checked by replaying it on the simulated broker. */
function diffOf(before: Diagram, after: Diagram): TopologyOp[] {
  const ops = diffTopology(topologyOf(before), topologyOf(after));
  expect(SimBroker.holding(topologyOf(before)).applyAll(ops).topology()).toEqual(topologyOf(after));
  return ops;
}

const short = (ops: TopologyOp[]) =>
  ops.map((o) => {
    switch (o.op) {
      case 'bind':
      case 'unbind':
        return `${o.op} ${o.source}->${o.destination} '${o.routingKey}'`;
      case 'declareExchange':
      case 'declareQueue':
      case 'deleteExchange':
      case 'deleteQueue':
        return `${o.op} ${o.name}`;
    }
  });

describe('diffTopology', () => {
  it('is empty between equal topologies, and for moves and client edits', () => {
    const d = sample();
    expect(diffOf(d, d)).toEqual([]);
    expect(diffOf(d, run(d, updateNode('consumer-1', { prefetch: 9 }), updateNode('queue-1', { position: { x: 5, y: 5 } })))).toEqual([]);
  });

  it('declares everything from nothing, exchanges before queues before binds', () => {
    expect(short(diffOf(emptyDiagram(), sample()))).toEqual([
      'declareExchange audit',
      'declareExchange logs',
      'declareQueue q1',
      'declareQueue q2',
      'bind audit->q2 \'\'',
      "bind logs->audit '#'",
      "bind logs->q1 'a.*'",
    ]);
  });

  it('deletes everything back to nothing, unbinding first', () => {
    expect(short(diffOf(sample(), emptyDiagram()))).toEqual([
      'unbind audit->q2 \'\'',
      "unbind logs->audit '#'",
      "unbind logs->q1 'a.*'",
      'deleteQueue q1',
      'deleteQueue q2',
      'deleteExchange audit',
      'deleteExchange logs',
    ]);
  });

  it('adds a queue and its binding', () => {
    const d = sample();
    const ops = diffOf(d, run(d, addNode({ kind: 'queue', position: at, name: 'q3' }), addBinding('exchange-1', 'queue-3', { routingKey: 'b' })));
    expect(ops).toEqual([
      { op: 'declareQueue', name: 'q3', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } },
      { op: 'bind', source: 'logs', destinationKind: 'queue', destination: 'q3', routingKey: 'b', arguments: {} },
    ]);
  });

  it('removes an exchange with its bindings both ways', () => {
    const d = sample();
    expect(short(diffOf(d, run(d, removeNodes(['exchange-2']))))).toEqual(['unbind audit->q2 \'\'', "unbind logs->audit '#'", 'deleteExchange audit']);
  });

  it('renames a queue as delete + declare, with its bindings made again', () => {
    const d = sample();
    expect(short(diffOf(d, run(d, renameNode('queue-1', 'orders'))))).toEqual(["unbind logs->q1 'a.*'", 'deleteQueue q1', 'declareQueue orders', "bind logs->orders 'a.*'"]);
  });

  it('renames an exchange as delete + declare, with bindings from and to it made again', () => {
    const d = sample();
    expect(short(diffOf(d, run(d, renameNode('exchange-2', 'audit2'))))).toEqual([
      'unbind audit->q2 \'\'',
      "unbind logs->audit '#'",
      'deleteExchange audit',
      'declareExchange audit2',
      'bind audit2->q2 \'\'',
      "bind logs->audit2 '#'",
    ]);
  });

  it('redeclares a queue whose arguments changed, and rebinds it', () => {
    const d = sample();
    const after = run(d, updateNode('queue-1', { arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000 } }));
    const ops = diffOf(d, after);
    expect(short(ops)).toEqual(["unbind logs->q1 'a.*'", 'deleteQueue q1', 'declareQueue q1', "bind logs->q1 'a.*'"]);
    expect(ops[2]).toMatchObject({ arguments: { 'x-message-ttl': 60000 } });
  });

  it('redeclares an exchange whose type or flags changed, with every binding from and to it', () => {
    const d = sample();
    expect(short(diffOf(d, run(d, updateNode('exchange-2', { type: 'direct' }))))).toEqual([
      'unbind audit->q2 \'\'',
      "unbind logs->audit '#'",
      'deleteExchange audit',
      'declareExchange audit',
      'bind audit->q2 \'\'',
      "bind logs->audit '#'",
    ]);
    expect(short(diffOf(d, run(d, updateNode('exchange-1', { durable: false }))))).toEqual([
      "unbind logs->audit '#'",
      "unbind logs->q1 'a.*'",
      'deleteExchange logs',
      'declareExchange logs',
      "bind logs->audit '#'",
      "bind logs->q1 'a.*'",
    ]);
  });

  it('does not redeclare for arguments in another key order', () => {
    const d = run(sample(), updateNode('queue-1', { arguments: { a: 1, b: { c: 1, d: 2 } } }));
    expect(diffOf(d, run(d, updateNode('queue-1', { arguments: { b: { d: 2, c: 1 }, a: 1 } })))).toEqual([]);
  });

  it('changes a binding key as unbind + bind', () => {
    const d = sample();
    expect(short(diffOf(d, run(d, updateBinding('binding-1', { routingKey: 'b.#' }))))).toEqual(["unbind logs->q1 'a.*'", "bind logs->q1 'b.#'"]);
  });

  it('changes binding arguments as unbind + bind', () => {
    const d = sample();
    const ops = diffOf(d, run(d, updateBinding('binding-3', { arguments: { 'x-match': 'any', k: 'v' } })));
    expect(ops).toEqual([
      { op: 'unbind', source: 'audit', destinationKind: 'queue', destination: 'q2', routingKey: '', arguments: {} },
      { op: 'bind', source: 'audit', destinationKind: 'queue', destination: 'q2', routingKey: '', arguments: { 'x-match': 'any', k: 'v' } },
    ]);
  });

  it('swaps two queue names by name: only bindings move', () => {
    const d = run(sample(), updateNode('queue-2', { arguments: { 'x-queue-type': 'classic' } }));
    const swapped = run(d, renameNode('queue-1', 'tmp'), renameNode('queue-2', 'q1'), renameNode('queue-1', 'q2'));
    expect(short(diffOf(d, swapped))).toEqual(['unbind audit->q2 \'\'', "unbind logs->q1 'a.*'", 'bind audit->q1 \'\'', "bind logs->q2 'a.*'"]);
  });

  it('recreates an auto-delete exchange that loses its last binding, since RabbitMQ deletes it then', () => {
    const d = run(sample(), updateNode('exchange-2', { autoDelete: true }));
    // audit loses its only binding and gains another: RabbitMQ drops audit (and logs→audit) on the unbind.
    const after = run(d, updateBinding('binding-3', { routingKey: 'other' }));
    expect(short(diffOf(d, after))).toEqual([
      'unbind audit->q2 \'\'',
      "unbind logs->audit '#'",
      'deleteExchange audit',
      'declareExchange audit',
      "bind audit->q2 'other'",
      "bind logs->audit '#'",
    ]);
    // Removing its only binding leaves it declared, unbound.
    const unbound = run(d, removeBindings(['binding-3']));
    expect(short(diffOf(d, unbound))).toEqual(['unbind audit->q2 \'\'', "unbind logs->audit '#'", 'deleteExchange audit', 'declareExchange audit', "bind logs->audit '#'"]);
    // An auto-delete exchange that keeps a binding stays.
    const kept = run(d, addBinding('exchange-2', 'queue-1'));
    expect(short(diffOf(kept, run(kept, removeBindings(['binding-3']))))).toEqual(['unbind audit->q2 \'\'']);
  });

  it('follows auto-delete through chains of exchange-to-exchange bindings', () => {
    // a (auto-delete) → b (auto-delete) → q; deleting q empties b, whose deletion empties a.
    let d = run(
      emptyDiagram(),
      addNodes([
        { kind: 'exchange', position: at, name: 'a', autoDelete: true },
        { kind: 'exchange', position: at, name: 'b', autoDelete: true },
        { kind: 'queue', position: at, name: 'q' },
        { kind: 'queue', position: at, name: 'r' },
      ]),
    );
    d = run(d, addBinding('exchange-1', 'exchange-2'), addBinding('exchange-2', 'queue-1'), addBinding('exchange-2', 'queue-2', { routingKey: 'r' }));
    const after = run(d, removeNodes(['queue-1']), removeBindings(['binding-3']));
    expect(short(diffOf(d, after))).toEqual([
      "unbind a->b ''",
      "unbind b->q ''",
      "unbind b->r 'r'",
      'deleteQueue q',
      'deleteExchange a',
      'deleteExchange b',
      'declareExchange a',
      'declareExchange b',
      "bind a->b ''",
    ]);
  });

  it('never declares, deletes or unbinds built-in exchanges wrongly', () => {
    const d = run(sample(), addNode({ kind: 'exchange', position: at, name: 'amq.direct' }), addBinding('exchange-3', 'queue-1', { routingKey: 'k' }));
    const ops = diffOf(sample(), d);
    expect(short(ops)).toEqual(["bind amq.direct->q1 'k'"]);
    expect(short(diffOf(d, sample()))).toEqual(["unbind amq.direct->q1 'k'"]);
  });
});
