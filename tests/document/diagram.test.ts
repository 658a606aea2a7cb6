/**
 * The diagram's basics: empty diagrams, deterministic ids, lookups, default nodes and names,
 * built-in exchanges, and the whole-diagram check.
 */

import { describe, expect, it } from 'vitest';
import { addBinding, addNode, addNodes, unwrap } from '../../src/document/actions';
import { BUILT_IN_EXCHANGES, builtInExchange, isBuiltInExchange } from '../../src/document/builtins';
import { defaultNode, emptyDiagram, exchangeByName, newId, nodeById, nodesOfKind, queueByName, bindingById } from '../../src/document/diagram';
import { nameProblem, uniqueName } from '../../src/document/names';
import type { Diagram } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';

const at = { x: 10, y: 20 };

function withNodes(): Diagram {
  return unwrap(
    addNodes([
      { kind: 'producer', position: at },
      { kind: 'exchange', position: at },
      { kind: 'queue', position: at },
      { kind: 'queue', position: at },
      { kind: 'consumer', position: at },
    ]),
    emptyDiagram(),
  );
}

describe('emptyDiagram', () => {
  it('has version 1, no nodes, no bindings, no view, and is valid', () => {
    const d = emptyDiagram();
    expect(d).toEqual({ version: 1, nodes: [], bindings: [] });
    expect(validateDiagram(d)).toEqual([]);
    expect(emptyDiagram()).not.toBe(d);
  });
});

describe('newId', () => {
  it('counts per kind from 1', () => {
    const d = withNodes();
    expect(d.nodes.map((n) => n.id)).toEqual(['producer-1', 'exchange-1', 'queue-1', 'queue-2', 'consumer-1']);
    expect(newId('queue', d)).toBe('queue-3');
    expect(newId('binding', d)).toBe('binding-1');
    expect(newId('exchange', emptyDiagram())).toBe('exchange-1');
  });

  it('is one more than the largest in use, never an id in the document', () => {
    const d = unwrap(addNodes([{ kind: 'queue', position: at, id: 'queue-7' }, { kind: 'queue', position: at, id: 'odd' }]), emptyDiagram());
    expect(newId('queue', d)).toBe('queue-8');
    // An id shaped like another kind's still counts.
    const e = unwrap(addNode({ kind: 'exchange', position: at, id: 'binding-4' }), emptyDiagram());
    expect(newId('binding', e)).toBe('binding-5');
  });

  it('is deterministic', () => {
    expect(newId('consumer', withNodes())).toBe(newId('consumer', withNodes()));
  });
});

describe('lookups', () => {
  it('finds nodes by id, kind and RabbitMQ name, and bindings by id', () => {
    const d = unwrap(addBinding('exchange-1', 'queue-2', { routingKey: 'k' }), withNodes());
    expect(nodeById(d, 'queue-2')?.name).toBe('queue-2');
    expect(nodeById(d, 'nope')).toBeUndefined();
    expect(nodesOfKind(d, 'queue').map((q) => q.id)).toEqual(['queue-1', 'queue-2']);
    expect(nodesOfKind(d, 'consumer')[0]?.prefetch).toBe(1);
    expect(exchangeByName(d, 'exchange-1')?.id).toBe('exchange-1');
    expect(queueByName(d, 'queue-1')?.id).toBe('queue-1');
    expect(queueByName(d, 'exchange-1')).toBeUndefined();
    expect(bindingById(d, 'binding-1')?.routingKey).toBe('k');
  });
});

describe('defaultNode', () => {
  it('makes each kind with its defaults', () => {
    const d = emptyDiagram();
    expect(defaultNode('producer', at, d)).toEqual({
      id: 'producer-1',
      kind: 'producer',
      position: at,
      name: 'producer-1',
      target: null,
      message: { routingKey: '', body: 'Hello World!', properties: {} },
      mode: { kind: 'once' },
    });
    expect(defaultNode('exchange', at, d)).toEqual({
      id: 'exchange-1',
      kind: 'exchange',
      position: at,
      name: 'exchange-1',
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: {},
    });
    expect(defaultNode('queue', at, d)).toEqual({
      id: 'queue-1',
      kind: 'queue',
      position: at,
      name: 'queue-1',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-queue-type': 'classic' },
    });
    expect(defaultNode('consumer', at, d)).toEqual({
      id: 'consumer-1',
      kind: 'consumer',
      position: at,
      name: 'consumer-1',
      queue: null,
      prefetch: 1,
      ackMode: 'manual',
      workMs: 1000,
      failure: { rate: 0, action: 'nack-requeue' },
      running: true,
    });
  });

  it('does not alias the position it was given', () => {
    const p = { x: 1, y: 2 };
    const node = defaultNode('queue', p, emptyDiagram());
    p.x = 99;
    expect(node.position).toEqual({ x: 1, y: 2 });
  });

  it('takes the first free name of its kind; kinds are separate namespaces', () => {
    let d = withNodes();
    expect(defaultNode('queue', at, d).name).toBe('queue-3');
    d = unwrap(addNode({ kind: 'queue', position: at, name: 'queue-3' }), d);
    expect(defaultNode('queue', at, d).name).toBe('queue-4');
    // A queue named like an exchange does not take the exchange's name.
    d = unwrap(addNode({ kind: 'queue', position: at, name: 'exchange-2' }), d);
    expect(defaultNode('exchange', at, d).name).toBe('exchange-2');
  });
});

describe('built-in exchanges', () => {
  it('are the default exchange and the amq.* ones of vhost /', () => {
    expect(BUILT_IN_EXCHANGES.map((x) => x.name)).toEqual(['', 'amq.direct', 'amq.fanout', 'amq.headers', 'amq.match', 'amq.rabbitmq.log', 'amq.rabbitmq.trace', 'amq.topic']);
    expect(isBuiltInExchange('')).toBe(true);
    expect(isBuiltInExchange('amq.topic')).toBe(true);
    expect(isBuiltInExchange('amq.gen-1')).toBe(false);
    expect(isBuiltInExchange('topic')).toBe(false);
    expect(builtInExchange('amq.match')?.type).toBe('headers');
    expect(builtInExchange('amq.rabbitmq.trace')?.internal).toBe(true);
  });

  it('are placed by name and take the built-in declaration', () => {
    const d = unwrap(addNodes([{ kind: 'exchange', position: at, name: 'amq.fanout' }, { kind: 'exchange', position: at, name: '' }]), emptyDiagram());
    expect(d.nodes[0]).toMatchObject({ name: 'amq.fanout', type: 'fanout', durable: true, autoDelete: false, internal: false, arguments: {} });
    expect(d.nodes[1]).toMatchObject({ name: '', type: 'direct' });
  });
});

describe('names', () => {
  it('follow RabbitMQ: no new amq.* names, at most 255 bytes; an empty queue name is a server-named queue', () => {
    expect(nameProblem('exchange', 'amq.mine')).toBe("RabbitMQ refuses it: exchange name 'amq.mine' contains reserved prefix 'amq.*'");
    expect(nameProblem('queue', 'amq.q')).toBe("RabbitMQ refuses it: queue name 'amq.q' contains reserved prefix 'amq.*'");
    expect(nameProblem('queue', 'amq.topic')).toMatch(/reserved prefix/);
    expect(nameProblem('exchange', 'amq.topic')).toBeNull();
    expect(nameProblem('exchange', '')).toBeNull();
    expect(nameProblem('queue', '')).toBeNull();
    expect(nameProblem('producer', '')).toMatch(/needs a name/);
    expect(nameProblem('queue', 'é'.repeat(127))).toBeNull();
    expect(nameProblem('queue', 'é'.repeat(128))).toMatch(/at most 255 bytes/);
    expect(nameProblem('queue', 'x'.repeat(255))).toBeNull();
    expect(nameProblem('queue', 'Amq.ok')).toBeNull();
  });

  it('are made unique by numbering', () => {
    const taken = new Set(['orders', 'orders-2', 'queue-1', 'x-9']);
    expect(uniqueName('fresh', taken)).toBe('fresh');
    expect(uniqueName('orders', taken)).toBe('orders-3');
    expect(uniqueName('queue-1', taken)).toBe('queue-2');
    expect(uniqueName('x-9', taken)).toBe('x-10');
  });
});

describe('validateDiagram', () => {
  it('reports duplicate ids and names, dangling links and impossible bindings', () => {
    const bad: Diagram = {
      version: 1,
      nodes: [
        defaultNode('queue', at, emptyDiagram()),
        { ...defaultNode('queue', at, emptyDiagram()), id: 'queue-2' },
        { ...defaultNode('exchange', at, emptyDiagram()), name: '' },
        { ...defaultNode('producer', at, emptyDiagram()), target: { kind: 'exchange', id: 'gone' } },
        { ...defaultNode('consumer', at, emptyDiagram()), queue: 'exchange-1', id: 'queue-1' },
      ],
      bindings: [
        { id: 'b1', source: 'exchange-1', destination: { kind: 'queue', id: 'queue-2' }, routingKey: '', arguments: {} },
        { id: 'b2', source: 'queue-2', destination: { kind: 'queue', id: 'nowhere' }, routingKey: '', arguments: {} },
      ],
      view: { x: 0, y: 0, zoom: 0 },
    };
    const problems = validateDiagram(bad);
    expect(problems).toEqual([
      "two queues are named 'queue-1'",
      'the default exchange is built in: it is a direct exchange (durable, not internal, no arguments), and that cannot change',
      "two elements have the id 'queue-1'",
      expect.stringContaining("publishes to 'gone', which is not in the diagram"),
      expect.stringContaining('cannot consume from the default exchange'),
      expect.stringContaining('the default exchange cannot be bound'),
      expect.stringContaining("its destination 'nowhere' is not in the diagram"),
      'a view has finite x and y and a zoom above 0',
    ]);
  });

  it('reports a built-in exchange with another declaration, and duplicate bindings', () => {
    let d = unwrap(addNodes([{ kind: 'exchange', position: at, name: 'amq.topic' }, { kind: 'queue', position: at }]), emptyDiagram());
    d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'a', arguments: { x: 1, y: 2 } }), d);
    const twin = { ...d.bindings[0]!, id: 'twin', arguments: { y: 2, x: 1 } };
    const broken: Diagram = { ...d, nodes: [{ ...d.nodes[0]!, type: 'fanout' } as Diagram['nodes'][number], d.nodes[1]!], bindings: [...d.bindings, twin] };
    expect(validateDiagram(broken)).toEqual([
      "exchange 'amq.topic' is built in: it is a topic exchange (durable, not internal, no arguments), and that cannot change",
      expect.stringContaining('is already bound to'),
    ]);
  });
});
