/**
 * Copy and paste. A clip is a self-contained piece of a diagram: some nodes and the bindings
 * between them. Pasting gives every element a fresh id, shifts positions by an offset and makes
 * names unique; a pasted built-in exchange (`amq.topic`, '') that the diagram already has
 * becomes the existing one, since each exchange name exists once in RabbitMQ.
 */

import { exchangeByName, idAllocator, isBuiltInExchange } from './diagram';
import { cloneJson, isPlainObject } from './json';
import { namesOfKind, uniqueName } from './names';
import { action, done, refuse, type Action, type Result } from './result';
import type { BindingEdge, Diagram, DiagramNode, NodeKind, Position } from './types';
import { bindingIdentity, linksProblem, nodeFieldsProblem } from './validate';

/** What copy puts on the clipboard: nodes, and the bindings between them. Plain JSON. */
export interface Clip {
  nodes: DiagramNode[];
  bindings: BindingEdge[];
}

/**
 * The clip of some nodes: copies of them, in diagram order, with the bindings between them.
 * Links that leave the selection (a binding to an unselected queue, a producer's target) are
 * not kept, so the clip pastes the same into any diagram.
 */
export function clipOf(diagram: Diagram, nodeIds: Iterable<string>): Clip {
  const ids = new Set(nodeIds);
  const nodes = diagram.nodes.filter((n) => ids.has(n.id)).map((n) => {
    if (n.kind === 'producer' && n.target && !ids.has(n.target.id)) return { ...n, target: null };
    if (n.kind === 'consumer' && n.queue !== null && !ids.has(n.queue)) return { ...n, queue: null };
    return n;
  });
  const bindings = diagram.bindings.filter((b) => ids.has(b.source) && ids.has(b.destination.id));
  return cloneJson({ nodes, bindings });
}

const NODE_KINDS: readonly NodeKind[] = ['producer', 'exchange', 'queue', 'consumer'];

/** The default shift of pasted nodes, so they do not hide their originals. */
export const PASTE_OFFSET: Position = Object.freeze({ x: 40, y: 40 });

/** Pastes a clip: fresh ids, positions shifted by `offset`, unique names. `created` lists the new ids. */
export function paste(clip: Clip, offset: Position = PASTE_OFFSET): Action {
  const copy = cloneJson(clip);
  const shift = { x: offset.x, y: offset.y };
  const count = Array.isArray(copy?.nodes) ? copy.nodes.length : 0;
  return action('paste', count === 1 ? 'Paste node' : `Paste ${count} nodes`, (diagram) => performPaste(diagram, copy, shift));
}

function performPaste(diagram: Diagram, clip: Clip, offset: Position): Result {
  if (!isPlainObject(clip) || !Array.isArray(clip.nodes) || !Array.isArray(clip.bindings)) return refuse('a clip has nodes and bindings');
  if (!Number.isFinite(offset.x) || !Number.isFinite(offset.y)) return refuse('a paste offset needs finite x and y');
  if (clip.nodes.length === 0) return done(diagram);
  const allocate = idAllocator(diagram);
  const taken = new Map<NodeKind, Set<string>>(NODE_KINDS.map((k) => [k, namesOfKind(diagram, k)]));
  /** Clip id → id in the diagram. */
  const ids = new Map<string, string>();
  const added: DiagramNode[] = [];
  for (const node of clip.nodes) {
    if (!isPlainObject(node) || !NODE_KINDS.includes(node.kind)) return refuse(`a clip's nodes are ${NODE_KINDS.join(', ')}`);
    if (ids.has(node.id)) return refuse(`the clip has two nodes with the id '${node.id}'`);
    if (node.kind === 'exchange' && isBuiltInExchange(node.name)) {
      const existing = exchangeByName(diagram, node.name) ?? added.find((n) => n.kind === 'exchange' && n.name === node.name);
      if (existing) {
        ids.set(node.id, existing.id);
        continue;
      }
    }
    const names = taken.get(node.kind)!;
    const name = node.kind === 'exchange' && isBuiltInExchange(node.name) ? node.name : uniqueName(String(node.name), names);
    names.add(name);
    const id = allocate(node.kind);
    ids.set(node.id, id);
    const position = { x: node.position?.x + offset.x, y: node.position?.y + offset.y };
    added.push({ ...node, id, name, position });
  }
  const nodes = added.map((n): DiagramNode => {
    if (n.kind === 'producer' && n.target) {
      const target = ids.get(n.target.id);
      return { ...n, target: target === undefined ? null : { kind: n.target.kind, id: target } };
    }
    if (n.kind === 'consumer' && n.queue !== null) return { ...n, queue: ids.get(n.queue) ?? null };
    return n;
  });
  for (const node of nodes) {
    const problem = nodeFieldsProblem(node);
    if (problem) return refuse(`cannot paste: ${problem}`);
  }
  const identities = new Set(diagram.bindings.map(bindingIdentity));
  const bindings: BindingEdge[] = [];
  for (const b of clip.bindings) {
    if (!isPlainObject(b) || !isPlainObject(b.destination)) return refuse('a clip binding has a source and a destination');
    const source = ids.get(b.source);
    const destination = ids.get(b.destination.id);
    if (source === undefined || destination === undefined) continue;
    const edge: BindingEdge = { ...b, id: allocate('binding'), source, destination: { kind: b.destination.kind, id: destination } };
    const identity = bindingIdentity(edge);
    if (identities.has(identity)) continue;
    identities.add(identity);
    bindings.push(edge);
  }
  const next: Diagram = { ...diagram, nodes: [...diagram.nodes, ...nodes], bindings: bindings.length ? [...diagram.bindings, ...bindings] : diagram.bindings };
  const touched = new Set([...ids.values()]);
  const problem = linksProblem(next, touched);
  if (problem) return refuse(`cannot paste: ${problem}`);
  if (nodes.length === 0 && bindings.length === 0) return done(diagram);
  return done(next, [...nodes.map((n) => n.id), ...bindings.map((b) => b.id)]);
}

