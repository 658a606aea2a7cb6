/**
 * The edits of a diagram as small named actions (`perform(diagram) → Result`), in the manner of
 * excalidraw's actions: nodes here, links (bindings, producers, consumers) in links.ts, all
 * exported from this module; paste (paste.ts) is imported on its own, on the first copy. Every
 * action is pure, refuses impossible edits with a reason, returns the same diagram when nothing
 * changes, and shares what it did not touch.
 */

import { idAllocator, makeNode, nodeIndex, withBuiltInDeclaration, type NodeOfKind } from './diagram';
import { cloneJson, isPlainObject, jsonEqual, withoutUndefined } from './json';
import { defaultName, isServerNamed, namesOfKind, nameProblem } from './names';
import { action, done, refuse, type Action, type Result } from './result';
import type { Diagram, DiagramNode, NodeKind, Position } from './types';
import { linksProblem, nodeFieldsProblem, viewProblem } from './validate';

export { addBinding, updateBinding, removeBindings, linkProducer, linkConsumer, connect, type BindingOptions, type BindingPatch } from './links';
export { type Action, type ActionType, type Result, EditRefused, unwrap } from './result';

/** The fields of a node of kind K that an edit may set (all but id and kind). */
export type NodeFields<K extends NodeKind> = Omit<NodeOfKind<K>, 'id' | 'kind'>;

/**
 * A node to add: its kind and position, and any fields to set. Missing fields get the defaults
 * of `defaultNode` (a fresh id, the first free `<kind>-N` name). Naming an exchange '' or after
 * an `amq.*` built-in places that built-in exchange.
 */
export type NodeDraft<K extends NodeKind = NodeKind> = K extends NodeKind
  ? { kind: K; position: Position; id?: string } & Partial<Omit<NodeFields<K>, 'position'>>
  : never;

/** Fields to change on a node of kind K; nested values (message, mode, failure, arguments) are replaced whole. */
export type NodePatch<K extends NodeKind = NodeKind> = K extends NodeKind ? Partial<NodeFields<K>> : never;

const NODE_KINDS: readonly NodeKind[] = ['producer', 'exchange', 'queue', 'consumer'];

/** What each kind of node may have set, besides id and kind. */
const FIELDS: Record<NodeKind, ReadonlySet<string>> = {
  exchange: new Set(['position', 'name', 'type', 'durable', 'autoDelete', 'internal', 'arguments']),
  queue: new Set(['position', 'name', 'durable', 'exclusive', 'autoDelete', 'arguments']),
  producer: new Set(['position', 'name', 'target', 'message', 'mode']),
  consumer: new Set(['position', 'name', 'queue', 'prefetch', 'ackMode', 'workMs', 'failure', 'running', 'reply']),
};

function unknownField(kind: NodeKind, fields: object): string | null {
  for (const key of Object.keys(fields)) {
    if (key === 'id' || key === 'kind') return `a node's ${key} never changes`;
    if (!FIELDS[kind].has(key)) return `a ${kind} has no field '${key}'`;
  }
  return null;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : `${n} ${many}`);

/** Adds one node. The result's `created` holds its id. */
export function addNode(draft: NodeDraft): Action {
  const inner = addNodes([draft]);
  return action('addNode', `Add ${draft.kind}`, (d) => inner.perform(d));
}

/** Adds several nodes at once (one undo step); drafts may link to each other by explicit ids. */
export function addNodes(drafts: readonly NodeDraft[]): Action {
  const copies = drafts.map((d) => (isPlainObject(d) ? withoutUndefined(cloneJson(d)) : d));
  return action('addNodes', `Add ${plural(copies.length, 'node')}`, (diagram) => performAddNodes(diagram, copies));
}

function performAddNodes(diagram: Diagram, drafts: readonly NodeDraft[]): Result {
  if (drafts.length === 0) return done(diagram);
  const ids = new Set<string>([...diagram.nodes.map((n) => n.id), ...diagram.bindings.map((b) => b.id)]);
  const explicit = new Set<string>();
  for (const draft of drafts) {
    if (!isPlainObject(draft) || !NODE_KINDS.includes(draft.kind)) return refuse(`a node is a ${NODE_KINDS.join(', ')}`);
    if (draft.id === undefined) continue;
    if (typeof draft.id !== 'string' || draft.id === '') return refuse('a node needs a non-empty id');
    if (ids.has(draft.id) || explicit.has(draft.id)) return refuse(`an element with id '${draft.id}' is already in the diagram`);
    explicit.add(draft.id);
  }
  const allocate = idAllocator(diagram, explicit);
  const taken = new Map<NodeKind, Set<string>>(NODE_KINDS.map((k) => [k, namesOfKind(diagram, k)]));
  const added: DiagramNode[] = [];
  for (const draft of drafts) {
    const { kind, id: draftId, name: draftName, position, ...fields } = draft;
    const problem = unknownField(kind, fields);
    if (problem) return refuse(problem);
    const names = taken.get(kind)!;
    const name = draftName ?? defaultName(kind, names);
    const bad = nameProblem(kind, name);
    if (bad) return refuse(bad);
    if (names.has(name)) return refuse(nameTaken(kind, name));
    if (!isServerNamed({ kind, name })) names.add(name);
    const base = makeNode(kind, draftId ?? allocate(kind), name, position ?? { x: Number.NaN, y: Number.NaN });
    const node = { ...base, ...fields, position: cloneJson(position) } as DiagramNode;
    const fieldsProblem = nodeFieldsProblem(node);
    if (fieldsProblem) return refuse(fieldsProblem);
    added.push(node);
  }
  const next: Diagram = { ...diagram, nodes: [...diagram.nodes, ...added] };
  const linkProblem = linksProblem(next, new Set(added.map((n) => n.id)));
  if (linkProblem) return refuse(linkProblem);
  return done(next, added.map((n) => n.id));
}

function nameTaken(kind: NodeKind, name: string): string {
  return kind === 'exchange' && name === ''
    ? 'the default exchange is already in the diagram'
    : `there is already ${kind === 'exchange' ? 'an' : 'a'} ${kind} named '${name}' in the diagram`;
}

/** One node's new position. */
export interface NodeMove {
  id: string;
  position: Position;
}

/** Moves many nodes at once (a drag of a selection). Coalesce a drag's steps with the gateway's `coalesceKey`. */
export function moveNodes(moves: readonly NodeMove[]): Action {
  const targets = new Map(moves.map((m) => [m.id, { x: m.position.x, y: m.position.y }]));
  return action('moveNodes', `Move ${plural(targets.size, 'node')}`, (diagram) => {
    for (const [id, p] of targets) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return refuse(`a position needs finite x and y (moving '${id}')`);
    }
    let found = 0;
    let changed = false;
    const nodes = diagram.nodes.map((n) => {
      const p = targets.get(n.id);
      if (!p) return n;
      found++;
      if (p.x === n.position.x && p.y === n.position.y) return n;
      changed = true;
      return { ...n, position: p };
    });
    if (found < targets.size) return refuse(`no node '${[...targets.keys()].find((id) => !nodes.some((n) => n.id === id))}' in the diagram`);
    return done(changed ? { ...diagram, nodes } : diagram);
  });
}

/**
 * Sets some fields of a node. Renaming an exchange to '' or an `amq.*` built-in makes it that
 * built-in exchange (with its declaration); a built-in's declaration cannot be changed.
 */
export function updateNode<K extends NodeKind>(id: string, patch: NodePatch<K>): Action {
  const copy = (isPlainObject(patch) ? withoutUndefined(cloneJson(patch)) : patch) as Partial<NodeFields<NodeKind>>;
  const keys = isPlainObject(copy) ? Object.keys(copy) : [];
  return action('updateNode', keys.length === 1 ? `Change ${LABELS[keys[0]!] ?? keys[0]}` : 'Edit node', (diagram) => performUpdate(diagram, id, copy));
}

/** Field names as undo menus say them. */
const LABELS: Record<string, string> = {
  position: 'position',
  name: 'name',
  type: 'exchange type',
  durable: 'durability',
  autoDelete: 'auto-delete',
  internal: 'internal flag',
  exclusive: 'exclusivity',
  arguments: 'arguments',
  target: 'target',
  message: 'message',
  mode: 'publish mode',
  queue: 'queue',
  prefetch: 'prefetch',
  ackMode: 'ack mode',
  workMs: 'work time',
  failure: 'failures',
  running: 'running',
};

/** Renames a node (the RabbitMQ name; its id stays). */
export function renameNode(id: string, name: string): Action {
  // '' is the default exchange for an exchange, a server-named queue for a queue.
  return action('renameNode', name === '' ? 'Clear the name' : `Rename to '${name}'`, (diagram) => performUpdate(diagram, id, { name }));
}

function performUpdate(diagram: Diagram, id: string, patch: Partial<NodeFields<NodeKind>>): Result {
  const index = diagram.nodes.findIndex((n) => n.id === id);
  if (index < 0) return refuse(`no node '${id}' in the diagram`);
  const node = diagram.nodes[index]!;
  if (!isPlainObject(patch)) return refuse('a patch is a table of fields');
  const problem = unknownField(node.kind, patch);
  if (problem) return refuse(problem);
  let next = { ...node, ...patch } as DiagramNode;
  if (next.kind === 'exchange' && next.name !== node.name) {
    // Becoming a built-in takes its declaration; fields the patch sets still apply (and are checked).
    next = { ...withBuiltInDeclaration(next), ...patch } as DiagramNode;
  }
  if (jsonEqual(next, node)) return done(diagram);
  const fieldsProblem = nodeFieldsProblem(next);
  if (fieldsProblem) return refuse(fieldsProblem);
  if (next.name !== node.name && namesOfKind(diagram, node.kind, node.id).has(next.name)) return refuse(nameTaken(node.kind, next.name));
  const nodes = diagram.nodes.slice();
  nodes[index] = next;
  const result: Diagram = { ...diagram, nodes };
  const linkProblem = linksProblem(result, new Set([id]));
  if (linkProblem) return refuse(linkProblem);
  return done(result);
}

/**
 * Deletes nodes, and with them every binding from or to them; producers that published to them
 * and consumers that read them stay, unlinked.
 */
export function removeNodes(ids: readonly string[]): Action {
  const gone = new Set(ids);
  return action('removeNodes', `Delete ${plural(gone.size, 'node')}`, (diagram) => {
    if (gone.size === 0) return done(diagram);
    const index = nodeIndex(diagram);
    for (const id of gone) if (!index.has(id)) return refuse(`no node '${id}' in the diagram`);
    const nodes: DiagramNode[] = [];
    for (const n of diagram.nodes) {
      if (gone.has(n.id)) continue;
      if (n.kind === 'producer' && n.target && gone.has(n.target.id)) nodes.push({ ...n, target: null });
      else if (n.kind === 'consumer' && n.queue !== null && gone.has(n.queue)) nodes.push({ ...n, queue: null });
      else nodes.push(n);
    }
    const kept = diagram.bindings.filter((b) => !gone.has(b.source) && !gone.has(b.destination.id));
    const bindings = kept.length === diagram.bindings.length ? diagram.bindings : kept;
    return done({ ...diagram, nodes, bindings });
  });
}

/** Sets the view (pan and zoom), or clears it. Not recorded in the history: undo leaves the view alone. */
export function setView(view: Diagram['view']): Action {
  const copy = view === undefined ? undefined : { x: view.x, y: view.y, zoom: view.zoom };
  return action(
    'setView',
    'Change view',
    (diagram) => {
      if (copy !== undefined) {
        const problem = viewProblem(copy);
        if (problem) return refuse(problem);
      }
      if (jsonEqual(diagram.view, copy)) return done(diagram);
      if (copy === undefined) {
        const { view: _dropped, ...rest } = diagram;
        return done(rest);
      }
      return done({ ...diagram, view: copy });
    },
    false,
  );
}

/**
 * Several actions as one edit (one undo step, e.g. deleting a selection of nodes and bindings):
 * performed in order, refused as a whole if any is refused.
 */
export function batch(label: string, actions: readonly Action[]): Action {
  const list = actions.slice();
  return action('batch', label, (diagram) => {
    let current = diagram;
    const created: string[] = [];
    for (const a of list) {
      const result = a.perform(current);
      if (!result.ok) return result;
      current = result.diagram;
      if (result.created) created.push(...result.created);
    }
    return done(current, created);
  }, list.length === 0 || list.some((a) => a.recorded));
}
