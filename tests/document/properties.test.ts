/**
 * Seeded property tests over random edit sequences (tests/document/support/commands.ts):
 * - every diagram the gateway reaches is valid, and a refused edit changes nothing;
 * - replaying `diffTopology(a, b)` on a broker holding `topologyOf(a)` gives `topologyOf(b)`,
 *   step by step and across the whole sequence, on the simulated broker and on the real core;
 * - undo-all returns the initial diagram, and redoing the same number of steps the final one.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/broker/index';
import type { Channel } from '../../src/broker/index';
import { addBinding, addNodes, linkConsumer, linkProducer, unwrap } from '../../src/document/actions';
import { isBuiltInExchange } from '../../src/document/builtins';
import { emptyDiagram } from '../../src/document/diagram';
import { createGateway } from '../../src/document/gateway';
import { diffTopology, topologyOf, type Topology, type TopologyOp } from '../../src/document/topology';
import type { Diagram } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';
import { command, step, toAction, type Command } from './support/commands';
import { SimBroker } from './support/sim';

const SEED = 20_260_517;

function sample(): Diagram {
  let d = unwrap(
    addNodes([
      { kind: 'producer', position: { x: 0, y: 0 } },
      { kind: 'exchange', position: { x: 100, y: 0 }, name: 'a', autoDelete: true },
      { kind: 'queue', position: { x: 200, y: 0 }, name: 'b' },
      { kind: 'exchange', position: { x: 100, y: 100 }, name: 'amq.topic' },
      { kind: 'consumer', position: { x: 300, y: 0 } },
    ]),
    emptyDiagram(),
  );
  d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'a.*' }), d);
  d = unwrap(addBinding('exchange-2', 'exchange-1', { routingKey: '#' }), d);
  d = unwrap(linkProducer('producer-1', 'exchange-1'), d);
  return unwrap(linkConsumer('consumer-1', 'queue-1'), d);
}

const initial = fc.constantFrom(emptyDiagram(), sample());

/** The same diagram with another view (undo and redo keep the current view). */
function withView(d: Diagram, view: Diagram['view']): Diagram {
  const { view: _v, ...rest } = d;
  return view === undefined ? rest : { ...rest, view };
}

describe('random edits through the gateway', () => {
  it('keep the diagram valid; refusals change nothing; undo-all and redo-all come back', () => {
    fc.assert(
      fc.property(initial, fc.array(step, { minLength: 10, maxLength: 80 }), (start, steps) => {
        const g = createGateway(start);
        for (const s of steps) {
          if (s.c === 'undo') g.undo();
          else if (s.c === 'redo') g.redo();
          else {
            const before = g.diagram;
            const [canUndo, canRedo] = [g.canUndo, g.canRedo];
            const result = g.apply(toAction(before, s));
            if (!result.ok) {
              expect(result.reason).toMatch(/\S/);
              expect(g.diagram).toBe(before);
              expect([g.canUndo, g.canRedo]).toEqual([canUndo, canRedo]);
            } else {
              expect(g.diagram).toBe(result.diagram);
            }
          }
          expect(validateDiagram(g.diagram)).toEqual([]);
        }
        const final = g.diagram;
        let undone = 0;
        while (g.undo()) undone++;
        expect(g.diagram).toEqual(withView(start, final.view));
        for (let i = 0; i < undone; i++) expect(g.redo()).toBe(true);
        expect(g.diagram).toEqual(final);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** The diagrams a sequence of commands goes through (refused ones leave it as it was). */
function states(start: Diagram, commands: readonly Command[]): Diagram[] {
  const out = [start];
  let d = start;
  for (const c of commands) {
    const result = toAction(d, c).perform(d);
    if (result.ok) d = result.diagram;
    out.push(d);
  }
  return out;
}

describe('diffTopology on the simulated broker', () => {
  it('turns topologyOf(a) into exactly topologyOf(b), step by step and across the sequence', () => {
    fc.assert(
      fc.property(initial, fc.array(command, { minLength: 10, maxLength: 60 }), (start, commands) => {
        const seen = states(start, commands);
        const broker = SimBroker.holding(topologyOf(start));
        for (let i = 1; i < seen.length; i++) {
          broker.applyAll(diffTopology(topologyOf(seen[i - 1]!), topologyOf(seen[i]!)));
          expect(broker.topology()).toEqual(topologyOf(seen[i]!));
        }
        const first = topologyOf(seen[0]!);
        const last = topologyOf(seen.at(-1)!);
        expect(SimBroker.holding(first).applyAll(diffTopology(first, last)).topology()).toEqual(last);
        expect(SimBroker.holding(last).applyAll(diffTopology(last, first)).topology()).toEqual(first);
        expect(diffTopology(last, last)).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('orders operations: unbinds, deletions, declarations, binds', () => {
    const phase: Record<TopologyOp['op'], number> = { unbind: 0, deleteQueue: 1, deleteExchange: 1, declareExchange: 2, declareQueue: 2, bind: 3 };
    fc.assert(
      fc.property(initial, fc.array(command, { minLength: 10, maxLength: 40 }), (start, commands) => {
        const seen = states(start, commands);
        const ops = diffTopology(topologyOf(seen[0]!), topologyOf(seen.at(-1)!));
        const phases = ops.map((o) => phase[o.op]);
        expect(phases).toEqual([...phases].sort((a, b) => a - b));
        for (const o of ops) if (o.op !== 'bind' && o.op !== 'unbind') expect(isBuiltInExchange(o.name) && o.op.endsWith('Exchange')).toBe(false);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

// ---- the real broker core -----------------------------------------------------------------

async function applyOnBroker(ch: Channel, op: TopologyOp): Promise<void> {
  switch (op.op) {
    case 'declareExchange':
      await ch.assertExchange(op.name, op.type, { durable: op.durable, autoDelete: op.autoDelete, internal: op.internal, arguments: op.arguments });
      return;
    case 'deleteExchange':
      await ch.deleteExchange(op.name);
      return;
    case 'declareQueue':
      await ch.assertQueue(op.name, { durable: op.durable, exclusive: op.exclusive, autoDelete: op.autoDelete, arguments: op.arguments });
      return;
    case 'deleteQueue':
      await ch.deleteQueue(op.name);
      return;
    case 'bind':
      if (op.destinationKind === 'queue') await ch.bindQueue(op.destination, op.source, op.routingKey, op.arguments);
      else await ch.bindExchange(op.destination, op.source, op.routingKey, op.arguments);
      return;
    case 'unbind':
      if (op.destinationKind === 'queue') await ch.unbindQueue(op.destination, op.source, op.routingKey, op.arguments);
      else await ch.unbindExchange(op.destination, op.source, op.routingKey, op.arguments);
      return;
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the core holds, as a Topology (built-ins and the default exchange's implicit bindings left out). */
function brokerTopology(broker: ReturnType<typeof createBroker>): Topology {
  const s = broker.inspect();
  return {
    exchanges: s.exchanges
      .filter((x) => !isBuiltInExchange(x.name))
      .map((x) => ({ name: x.name, type: x.type, durable: x.durable, autoDelete: x.auto_delete, internal: x.internal, arguments: x.arguments }))
      .sort((a, b) => byText(a.name, b.name)),
    queues: s.queues.map((q) => ({ name: q.name, durable: q.durable, exclusive: q.exclusive, autoDelete: q.auto_delete, arguments: q.arguments })).sort((a, b) => byText(a.name, b.name)),
    bindings: s.bindings
      .filter((b) => b.source_name !== '')
      .map((b) => ({ source: b.source_name, destinationKind: b.destination_kind, destination: b.destination_name, routingKey: b.routing_key, arguments: b.arguments }))
      .sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))),
  } as Topology;
}

/** topologyOf, as the core reports it: RabbitMQ 4.x keeps exclusive queues transient. */
function expectedOnBroker(d: Diagram): Topology {
  const t = topologyOf(d);
  return {
    exchanges: t.exchanges,
    queues: t.queues.map((q) => ({ ...q, durable: q.durable && !q.exclusive })),
    bindings: [...t.bindings].sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b))),
  };
}

describe('diffTopology on the real broker core', () => {
  it('keeps the core holding exactly topologyOf(diagram) after every edit', async () => {
    await fc.assert(
      fc.asyncProperty(initial, fc.array(command, { minLength: 10, maxLength: 40 }), async (start, commands) => {
        const broker = createBroker({ seed: 1 });
        const conn = await broker.connect('amqp://localhost');
        const ch = await conn.createChannel();
        const seen = states(start, commands);
        for (const op of diffTopology(topologyOf(emptyDiagram()), topologyOf(seen[0]!))) await applyOnBroker(ch, op);
        expect(brokerTopology(broker)).toEqual(expectedOnBroker(seen[0]!));
        for (let i = 1; i < seen.length; i++) {
          for (const op of diffTopology(topologyOf(seen[i - 1]!), topologyOf(seen[i]!))) await applyOnBroker(ch, op);
          expect(brokerTopology(broker)).toEqual(expectedOnBroker(seen[i]!));
        }
        await conn.close();
      }),
      { seed: SEED, numRuns: 120 },
    );
  });
});
