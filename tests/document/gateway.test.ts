/**
 * The gateway: apply, undo and redo of every kind of edit, refusals that change nothing, the
 * history cap, coalesced drags, the view outside the history, subscribers and reset.
 */

import { clipOf, paste } from '../../src/document/paste';
import { describe, expect, it, vi } from 'vitest';
import {
  addBinding,
  addNode,
  addNodes,
  batch,
  connect,
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
import { emptyDiagram } from '../../src/document/diagram';
import { createGateway, type Change } from '../../src/document/gateway';
import type { Diagram } from '../../src/document/types';

const at = (x = 0, y = 0) => ({ x, y });

function sample(): Diagram {
  let d = unwrap(
    addNodes([
      { kind: 'producer', position: at(0) },
      { kind: 'exchange', position: at(100) },
      { kind: 'queue', position: at(200) },
      { kind: 'queue', position: at(200, 100) },
      { kind: 'consumer', position: at(300) },
    ]),
    emptyDiagram(),
  );
  d = unwrap(linkProducer('producer-1', 'exchange-1'), d);
  d = unwrap(addBinding('exchange-1', 'queue-1', { routingKey: 'a.*' }), d);
  return unwrap(linkConsumer('consumer-1', 'queue-1'), d);
}

const EDITS: [string, () => Action][] = [
  ['addNode', () => addNode({ kind: 'queue', position: at() })],
  ['addNodes', () => addNodes([{ kind: 'queue', position: at() }, { kind: 'consumer', position: at() }])],
  ['moveNodes', () => moveNodes([{ id: 'queue-1', position: at(5, 5) }, { id: 'queue-2', position: at(6, 6) }])],
  ['updateNode', () => updateNode('consumer-1', { prefetch: 10, running: false })],
  ['renameNode', () => renameNode('exchange-1', 'logs')],
  ['removeNodes', () => removeNodes(['exchange-1', 'queue-1'])],
  ['addBinding', () => addBinding('exchange-1', 'queue-2', { routingKey: '#' })],
  ['updateBinding', () => updateBinding('binding-1', { routingKey: 'b.#' })],
  ['removeBindings', () => removeBindings(['binding-1'])],
  ['linkProducer', () => linkProducer('producer-1', 'queue-2')],
  ['linkConsumer', () => linkConsumer('consumer-1', null)],
  ['connect', () => connect('exchange-1', 'queue-2')],
  ['paste', () => paste(clipOf(sample(), ['exchange-1', 'queue-1']))],
  ['batch', () => batch('Delete selection', [removeBindings(['binding-1']), removeNodes(['queue-2'])])],
];

describe('apply, undo, redo', () => {
  it.each(EDITS)('%s: apply → undo gives the diagram before, redo the one after', (_name, make) => {
    const before = sample();
    const g = createGateway(before);
    const action = make();
    const result = g.apply(action);
    expect(result.ok).toBe(true);
    const after = g.diagram;
    expect(after).not.toEqual(before);
    expect(g.canUndo).toBe(true);
    expect(g.undoLabel).toBe(action.label);
    expect(g.undo()).toBe(true);
    expect(g.diagram).toBe(before);
    expect(g.canRedo).toBe(true);
    expect(g.redoLabel).toBe(action.label);
    expect(g.redo()).toBe(true);
    expect(g.diagram).toBe(after);
    expect(g.canRedo).toBe(false);
  });

  it('starts from an empty diagram, with nothing to undo or redo', () => {
    const g = createGateway();
    expect(g.diagram).toEqual(emptyDiagram());
    expect([g.canUndo, g.canRedo, g.undoLabel, g.redoLabel]).toEqual([false, false, null, null]);
    expect(g.undo()).toBe(false);
    expect(g.redo()).toBe(false);
  });

  it('walks a longer history back and forth', () => {
    const g = createGateway();
    const states = [g.diagram];
    for (const a of [addNode({ kind: 'exchange', position: at() }), addNode({ kind: 'queue', position: at() }), addBinding('exchange-1', 'queue-1'), renameNode('queue-1', 'q')]) {
      expect(g.apply(a).ok).toBe(true);
      states.push(g.diagram);
    }
    for (let i = states.length - 2; i >= 0; i--) {
      g.undo();
      expect(g.diagram).toBe(states[i]);
    }
    for (let i = 1; i < states.length; i++) {
      g.redo();
      expect(g.diagram).toBe(states[i]);
    }
  });

  it('drops the redo branch on a new edit', () => {
    const g = createGateway(sample());
    g.apply(addNode({ kind: 'queue', position: at() }));
    g.undo();
    expect(g.canRedo).toBe(true);
    g.apply(renameNode('queue-1', 'other'));
    expect(g.canRedo).toBe(false);
    expect(g.undoLabel).toBe("Rename to 'other'");
  });
});

describe('refusals and no-ops', () => {
  it('a refused action changes nothing, records nothing and tells nobody', () => {
    const g = createGateway(sample());
    g.apply(addNode({ kind: 'queue', position: at() }));
    g.undo();
    const listener = vi.fn();
    g.subscribe(listener);
    const before = g.diagram;
    const result = g.apply(connect('producer-1', 'consumer-1'));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('cannot send to consumer') });
    expect(g.diagram).toBe(before);
    expect(g.canUndo).toBe(false);
    expect(g.canRedo).toBe(true);
    expect(listener).not.toHaveBeenCalled();
  });

  it('an action that changes nothing records nothing', () => {
    const g = createGateway(sample());
    const listener = vi.fn();
    g.subscribe(listener);
    expect(g.apply(moveNodes([{ id: 'queue-1', position: at(200) }])).ok).toBe(true);
    expect(g.canUndo).toBe(false);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('history cap', () => {
  it('keeps the last 200 edits by default', () => {
    const g = createGateway();
    for (let i = 0; i < 205; i++) g.apply(addNode({ kind: 'queue', position: at(i) }));
    let undone = 0;
    while (g.undo()) undone++;
    expect(undone).toBe(200);
    expect(g.diagram.nodes).toHaveLength(5);
  });

  it('takes another limit', () => {
    const g = createGateway(emptyDiagram(), { historyLimit: 3 });
    for (let i = 0; i < 5; i++) g.apply(addNode({ kind: 'queue', position: at(i) }));
    let undone = 0;
    while (g.undo()) undone++;
    expect(undone).toBe(3);
    expect(g.diagram.nodes.map((n) => n.id)).toEqual(['queue-1', 'queue-2']);
    let redone = 0;
    while (g.redo()) redone++;
    expect(redone).toBe(3);
    expect(g.diagram.nodes).toHaveLength(5);
  });

  it('keeps no history with a limit of 0', () => {
    const g = createGateway(emptyDiagram(), { historyLimit: 0 });
    g.apply(addNode({ kind: 'queue', position: at() }));
    expect(g.canUndo).toBe(false);
    expect(g.diagram.nodes).toHaveLength(1);
  });
});

describe('coalescing', () => {
  it('makes the moves of one drag one history entry', () => {
    const start = sample();
    const g = createGateway(start);
    for (let i = 1; i <= 10; i++) g.apply(moveNodes([{ id: 'queue-1', position: at(200 + i, i) }, { id: 'queue-2', position: at(i, 100 + i) }]), { coalesceKey: 'drag-1' });
    const end = g.diagram;
    expect(g.undoLabel).toBe('Move 2 nodes');
    expect(g.undo()).toBe(true);
    expect(g.diagram).toBe(start);
    expect(g.canUndo).toBe(false);
    expect(g.redo()).toBe(true);
    expect(g.diagram).toBe(end);
  });

  it('ends a run at another key, an apply without one, an undo or a redo', () => {
    const g = createGateway(sample());
    const move = (x: number) => moveNodes([{ id: 'queue-1', position: at(x) }]);
    g.apply(move(1), { coalesceKey: 'drag-1' });
    g.apply(move(2), { coalesceKey: 'drag-1' });
    g.apply(move(3), { coalesceKey: 'drag-2' });
    g.apply(move(4));
    g.apply(move(5), { coalesceKey: 'drag-2' });
    g.apply(move(6), { coalesceKey: 'drag-2' });
    g.undo();
    g.redo();
    g.apply(move(7), { coalesceKey: 'drag-2' });
    let undone = 0;
    while (g.undo()) undone++;
    expect(undone).toBe(5);
  });

  it('is not broken by a refused or unrecorded apply in between', () => {
    const start = sample();
    const g = createGateway(start);
    g.apply(moveNodes([{ id: 'queue-1', position: at(1) }]), { coalesceKey: 'd' });
    g.apply(removeNodes(['ghost']), { coalesceKey: 'd' });
    g.apply(setView({ x: 1, y: 1, zoom: 1 }));
    g.apply(moveNodes([{ id: 'queue-1', position: at(2) }]), { coalesceKey: 'd' });
    expect(g.undo()).toBe(true);
    expect(g.canUndo).toBe(false);
    expect(g.diagram.nodes).toBe(start.nodes);
  });

  it('tells subscribers which applies were coalesced', () => {
    const g = createGateway(sample());
    const changes: Change[] = [];
    g.subscribe((_d, c) => changes.push(c));
    g.apply(moveNodes([{ id: 'queue-1', position: at(1) }]), { coalesceKey: 'd' });
    g.apply(moveNodes([{ id: 'queue-1', position: at(2) }]), { coalesceKey: 'd' });
    expect(changes.map((c) => c.kind === 'apply' && c.coalesced)).toEqual([false, true]);
  });
});

describe('the view', () => {
  it('is not recorded, and undo and redo keep the current one', () => {
    const g = createGateway(sample());
    g.apply(addNode({ kind: 'queue', position: at() }));
    g.apply(setView({ x: 10, y: 20, zoom: 2 }));
    expect(g.undoLabel).toBe('Add queue');
    g.undo();
    expect(g.diagram.view).toEqual({ x: 10, y: 20, zoom: 2 });
    expect(g.diagram.nodes).toHaveLength(5);
    expect(g.canRedo).toBe(true);
    g.apply(setView({ x: 0, y: 0, zoom: 1 }));
    // A view change does not drop the redo branch.
    expect(g.redo()).toBe(true);
    expect(g.diagram.nodes).toHaveLength(6);
    expect(g.diagram.view).toEqual({ x: 0, y: 0, zoom: 1 });
    g.apply(setView(undefined));
    g.undo();
    expect('view' in g.diagram).toBe(false);
  });
});

describe('subscribe and reset', () => {
  it('tells every listener each change with the new diagram, until it unsubscribes', () => {
    const g = createGateway(sample());
    const seen: [Diagram, Change][] = [];
    const stop = g.subscribe((d, c) => seen.push([d, c]));
    const action = addNode({ kind: 'queue', position: at() });
    g.apply(action);
    g.undo();
    g.redo();
    g.apply(setView({ x: 0, y: 0, zoom: 1 }));
    stop();
    g.apply(addNode({ kind: 'queue', position: at() }));
    expect(seen.map(([, c]) => c)).toEqual([
      { kind: 'apply', type: 'addNode', label: 'Add queue', recorded: true, coalesced: false },
      { kind: 'undo', label: 'Add queue' },
      { kind: 'redo', label: 'Add queue' },
      { kind: 'apply', type: 'setView', label: 'Change view', recorded: false, coalesced: false },
    ]);
    expect(seen.map(([d]) => d.nodes.length)).toEqual([6, 5, 6, 6]);
    expect(seen[3]![0].view).toEqual({ x: 0, y: 0, zoom: 1 });
  });

  it('lets a listener see the state it was told about', () => {
    const g = createGateway();
    const observed: boolean[] = [];
    g.subscribe((d) => observed.push(d === g.diagram && g.canUndo));
    g.apply(addNode({ kind: 'queue', position: at() }));
    expect(observed).toEqual([true]);
  });

  it('still tells the other listeners when one throws, then throws', () => {
    const g = createGateway();
    const other = vi.fn();
    g.subscribe(() => {
      throw new Error('boom');
    });
    g.subscribe(other);
    expect(() => g.apply(addNode({ kind: 'queue', position: at() }))).toThrow('boom');
    expect(other).toHaveBeenCalledOnce();
    expect(g.diagram.nodes).toHaveLength(1);
  });

  it('tells every change in order, with its own diagram, when a listener edits the diagram', () => {
    const g = createGateway();
    const heard: string[][] = [[], []];
    g.subscribe((d, c) => {
      heard[0]!.push(`${c.kind === 'apply' ? c.label : c.kind}:${d.nodes.length}`);
      // Every new queue gets a consumer, as a second edit.
      if (c.kind === 'apply' && c.type === 'addNode' && d.nodes.at(-1)?.kind === 'queue') g.apply(addNode({ kind: 'consumer', position: at() }));
    });
    g.subscribe((d, c) => heard[1]!.push(`${c.kind === 'apply' ? c.label : c.kind}:${d.nodes.length}`));
    g.apply(addNode({ kind: 'queue', position: at() }));
    expect(heard[0]).toEqual(['Add queue:1', 'Add consumer:2']);
    expect(heard[1]).toEqual(['Add queue:1', 'Add consumer:2']);
    expect(g.diagram.nodes.map((n) => n.kind)).toEqual(['queue', 'consumer']);
    expect(g.undoLabel).toBe('Add consumer');
  });

  it('reset replaces the diagram and forgets the history', () => {
    const g = createGateway();
    g.apply(addNode({ kind: 'queue', position: at() }));
    g.apply(addNode({ kind: 'queue', position: at() }));
    g.undo();
    const listener = vi.fn();
    g.subscribe(listener);
    const next = sample();
    g.reset(next);
    expect(g.diagram).toBe(next);
    expect([g.canUndo, g.canRedo]).toEqual([false, false]);
    expect(listener).toHaveBeenCalledWith(next, { kind: 'reset' });
  });
});
