/**
 * The one way in for a diagram from outside (a file, a share link, this browser's storage, a
 * clipboard): caps → version → repair → schema → RabbitMQ's rules. What can be repaired is, each
 * repair described in a sentence (restore() in excalidraw is the model); the rest is refused with
 * a sentence a person can read. The input is never changed and never aliased: the diagram
 * returned is new, so a caller's current diagram stays as it was whatever happens.
 *
 * Never throws, never hangs: the first pass walks the input once, iteratively, and stops at the
 * caps (LOAD_LIMITS); every later pass is linear in what the caps let through. Keys that reach a
 * prototype (`__proto__`, `constructor`, `prototype`) are never assigned anywhere: only known
 * fields are read, and field tables are copied without them.
 *
 * Inside, a refusal is thrown as a `Refusal` and caught at the top, so the repair code stays
 * straight-line; nothing else is thrown out.
 */

import { builtInExchange } from './builtins';
import { emptyDiagram, idAllocator, makeNode, withBuiltInDeclaration } from './diagram';
import { exerciseProblem } from './exercises';
import { canonicalJson, isPlainObject } from './json';
import { defaultName, isServerNamed, uniqueName } from './names';
import { DIAGRAM_LIMITS, DIAGRAM_VERSION, UNSAFE_KEYS, hasPlainPrototype, parseDiagram, type SchemaPath } from './schema';
import type { Diagram, DiagramNode, ExchangeNode, NodeKind, Position, ProducerNode } from './types';
import { MAX_PREFETCH, bindProblem, bindingIdentity, consumeProblem, describeNode, publishProblem, validateDiagram, viewProblem } from './validate';

/** What a load gives: the diagram and what was repaired in it, or why it cannot be opened. */
export type LoadResult = { ok: true; diagram: Diagram; repairs: string[] } | { ok: false; message: string };

export interface LoadOptions {
  /** What the messages call the input: "This link was made with a newer version…". Default 'diagram'. */
  source?: 'diagram' | 'file' | 'link';
}

/** Caps on the raw input, checked before anything else reads it. */
export const LOAD_LIMITS = Object.freeze({
  /** Nesting of objects and arrays from the root (a table 8 deep inside a producer's message sits at 12). */
  depth: 16,
  /** Every value counted once: far above a full diagram of 500 nodes and 2,000 bindings. */
  values: 200_000,
  /** The longest text anywhere (a message body or a table value: 64 KiB). */
  textChars: 64 * 1024,
  /** All text together. */
  totalTextChars: 8_000_000,
  /** Repairs listed one by one; more are summed up in one last sentence. */
  repairsListed: 50,
  /** Coordinates beyond this are moved back (the canvas cannot fit them in a view). */
  coordinate: 1_000_000,
});

const KINDS: readonly NodeKind[] = ['producer', 'exchange', 'queue', 'consumer'];

class Refusal {
  constructor(readonly message: string) {}
}

function refuse(message: string): never {
  throw new Refusal(message);
}

/** Checks, repairs and validates a diagram from outside. Never throws. */
export function loadDiagram(input: unknown, options: LoadOptions = {}): LoadResult {
  const noun = options.source ?? 'diagram';
  try {
    return load(input, noun);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    // A bug, or a hostile object (a getter that throws): still a refusal, never an exception.
    return { ok: false, message: `This ${noun} could not be read (${error instanceof RangeError ? 'it is too large' : 'it is malformed'}).` };
  }
}

/** The message for a document from a newer app, shared with the link and file readers. */
export function newerVersionMessage(noun: string, version: number): string {
  const which = Number.isSafeInteger(version) ? ` (version ${version})` : '';
  return `This ${noun} was made with a newer version of Routing Playground${which}. Reload the page to get the newest version, then open it again.`;
}

/** "This is not a Routing Playground diagram", "This link does not hold a Routing Playground diagram". */
function notADiagram(noun: string): string {
  return noun === 'diagram' ? 'This is not a Routing Playground diagram' : `This ${noun} does not hold a Routing Playground diagram`;
}

function load(input: unknown, noun: string): LoadResult {
  const size = sizeProblem(input);
  if (size) refuse(`This ${noun} is too large: it ${size}.`);
  if (!isPlainObject(input)) refuse(`${notADiagram(noun)}.`);
  const repairs: string[] = [];
  checkVersion(input, noun, repairs);
  const candidate = repair(input, noun, repairs);
  const parsed = parseDiagram(candidate);
  if (!parsed.ok) refuse(sentence(`${where(candidate, parsed.path)} ${parsed.message}`));
  const problems = validateDiagram(parsed.diagram);
  if (problems.length > 0) refuse(sentence(problems[0]!));
  return { ok: true, diagram: parsed.diagram, repairs: listed(repairs) };
}

// ---------------------------------------------------------------------------------------------
// Caps and version

/**
 * What is too much in the raw input (nesting, number of values, length of texts), or null.
 * Iterative, and a list is measured before it is walked, so nothing huge is ever iterated.
 */
function sizeProblem(input: unknown): string | null {
  const max = LOAD_LIMITS;
  let values = 0;
  let text = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: input, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    values += 1;
    if (typeof value === 'string') {
      if (value.length > max.textChars) return `holds a text of ${value.length.toLocaleString('en')} characters (at most ${max.textChars.toLocaleString('en')})`;
      text += value.length;
      if (text > max.totalTextChars) return `holds more than ${max.totalTextChars.toLocaleString('en')} characters of text`;
      continue;
    }
    if (typeof value !== 'object' || value === null || !isWalkable(value)) continue;
    if (depth > max.depth) return `is nested more than ${max.depth} levels deep`;
    const children = Array.isArray(value) ? value : Object.keys(value);
    if (values + stack.length + children.length > max.values) return `holds more than ${max.values.toLocaleString('en')} values`;
    if (Array.isArray(value)) for (const child of value) stack.push({ value: child, depth: depth + 1 });
    else for (const key of children as string[]) stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
  }
  return null;
}

/** Arrays and plain objects are walked; anything else (a Date, a Map, a class) is a leaf the schema refuses. */
const isWalkable = hasPlainPrototype;

function checkVersion(raw: Record<string, unknown>, noun: string, repairs: string[]): void {
  const version = own(raw, 'version');
  if (typeof version === 'number' && version > DIAGRAM_VERSION) refuse(newerVersionMessage(noun, version));
  if (version === DIAGRAM_VERSION) return;
  if (version === undefined && Array.isArray(own(raw, 'nodes'))) {
    repairs.push(`Read it as a version ${DIAGRAM_VERSION} diagram: it had no version number.`);
    return;
  }
  if (version === undefined) refuse(`${notADiagram(noun)}.`);
  refuse(`This ${noun} has the version ${show(version)}, which no Routing Playground ever wrote (this one reads version ${DIAGRAM_VERSION}).`);
}

// ---------------------------------------------------------------------------------------------
// Repair: a new object with the diagram's fields only, defaults filled in, links made sound.
// Wrong types are left for the schema to refuse, with its message.

/** The state of one repair: ids handed out, names taken, ids merged into others. */
interface Repair {
  noun: string;
  repairs: string[];
  allocate: (kind: NodeKind | 'binding') => string;
  /** Every id in use so far (nodes and bindings share one namespace). */
  ids: Set<string>;
  /** Names in the input per kind, so a renamed duplicate does not take a later node's name. */
  names: Map<NodeKind, Set<string>>;
  /** Names given out so far, per kind. */
  given: Map<NodeKind, Set<string>>;
  /** Id → the node that has it (after merges). */
  nodes: Map<string, Candidate>;
  /** Id of a dropped duplicate built-in exchange → the id of the one kept. */
  merged: Map<string, string>;
}

/** A node being repaired: its fields so far (types not yet checked). */
type Candidate = Record<string, unknown> & { id: string; kind: NodeKind };

function repair(raw: Record<string, unknown>, noun: string, repairs: string[]): Record<string, unknown> {
  dropUnknown(raw, ['version', 'nodes', 'bindings', 'view', 'exercises'], 'the diagram', repairs);
  const rawNodes = own(raw, 'nodes');
  if (!Array.isArray(rawNodes)) refuse(`${notADiagram(noun)}: it has no list of nodes.`);
  let rawBindings = own(raw, 'bindings');
  if (rawBindings === undefined) {
    repairs.push('Gave the diagram an empty list of bindings: it had none.');
    rawBindings = [];
  }
  if (!Array.isArray(rawBindings)) refuse(`${notADiagram(noun)}: its bindings are not a list.`);
  checkCount(noun, rawNodes.length, DIAGRAM_LIMITS.nodes, 'nodes');
  checkCount(noun, rawBindings.length, DIAGRAM_LIMITS.bindings, 'bindings');

  const state = startRepair(noun, repairs, rawNodes, rawBindings);
  const nodes: Candidate[] = [];
  for (let index = 0; index < rawNodes.length; index++) {
    const repaired = repairNode(rawNodes[index], index, state);
    if (repaired) nodes.push(repaired);
  }
  for (const node of nodes) repairLinks(node, state);
  const bindings: Record<string, unknown>[] = [];
  const identities = new Set<string>();
  for (let index = 0; index < rawBindings.length; index++) {
    const repaired = repairBinding(rawBindings[index], index, state, identities);
    if (repaired) bindings.push(repaired);
  }

  const out: Record<string, unknown> = { version: DIAGRAM_VERSION, nodes, bindings };
  const view = repairView(own(raw, 'view'), repairs);
  if (view !== undefined) out.view = view;
  const exercises = repairExercises(own(raw, 'exercises'), noun, repairs);
  if (exercises !== undefined) out.exercises = exercises;
  return out;
}

function checkCount(noun: string, count: number, max: number, what: string): void {
  if (count > max) refuse(`This ${noun} has ${count.toLocaleString('en')} ${what}; Routing Playground opens at most ${max.toLocaleString('en')}.`);
}

function startRepair(noun: string, repairs: string[], rawNodes: unknown[], rawBindings: unknown[]): Repair {
  const reserved: string[] = [];
  const names = new Map<NodeKind, Set<string>>(KINDS.map((k) => [k, new Set<string>()]));
  for (const item of [...rawNodes, ...rawBindings]) {
    if (!isPlainObject(item)) continue;
    const id = own(item, 'id');
    if (isUsableId(id)) reserved.push(id);
    const kind = own(item, 'kind');
    const name = own(item, 'name');
    if (KINDS.includes(kind as NodeKind) && typeof name === 'string') names.get(kind as NodeKind)!.add(name);
  }
  return {
    noun,
    repairs,
    allocate: idAllocator(emptyDiagram(), reserved),
    ids: new Set(),
    names,
    given: new Map(KINDS.map((k) => [k, new Set<string>()])),
    nodes: new Map(),
    merged: new Map(),
  };
}

const isUsableId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= DIAGRAM_LIMITS.idChars;

/** The element's id, or a fresh one when it has none or its id is taken (said in a repair). */
function repairId(raw: Record<string, unknown>, kind: NodeKind | 'binding', who: () => string, state: Repair): string {
  const id = own(raw, 'id');
  if (isUsableId(id) && !state.ids.has(id)) {
    state.ids.add(id);
    return id;
  }
  const fresh = state.allocate(kind);
  state.ids.add(fresh);
  const why = id === undefined ? 'it had none' : isUsableId(id) ? `'${clip(id)}' was already another element's` : 'its id was not usable';
  state.repairs.push(sentence(`gave ${who()} the id '${fresh}': ${why}`));
  return fresh;
}

const FIELDS: Record<NodeKind, readonly string[]> = {
  exchange: ['id', 'kind', 'position', 'name', 'type', 'durable', 'autoDelete', 'internal', 'arguments'],
  queue: ['id', 'kind', 'position', 'name', 'durable', 'exclusive', 'autoDelete', 'arguments'],
  producer: ['id', 'kind', 'position', 'name', 'target', 'message', 'mode'],
  consumer: ['id', 'kind', 'position', 'name', 'queue', 'prefetch', 'ackMode', 'workMs', 'failure', 'running', 'reply'],
};
/** Fields a node may leave out: absent is their meaning (a consumer without `reply` does not answer). */
const OPTIONAL_FIELDS = new Set(['reply']);
const TABLE_FIELDS = new Set(['arguments']);

function repairNode(raw: unknown, index: number, state: Repair): Candidate | null {
  if (!isPlainObject(raw)) refuse(`Node ${index + 1} of the ${state.noun} is not an object.`);
  const kind = own(raw, 'kind');
  if (!KINDS.includes(kind as NodeKind)) {
    refuse(`Node ${index + 1} of the ${state.noun} is ${typeof kind === 'string' ? `a '${clip(kind)}'` : 'of no kind'}: a diagram has producers, exchanges, queues and consumers.`);
  }
  const k = kind as NodeKind;
  const rawName = own(raw, 'name');
  const who = () => (typeof rawName === 'string' ? describe(k, rawName) : `${k} ${index + 1}`);

  // A second node named after a built-in exchange is the same exchange: merge it into the first.
  if (k === 'exchange' && typeof rawName === 'string' && builtInExchange(rawName) && state.given.get('exchange')!.has(rawName)) {
    const kept = [...state.nodes.values()].find((n) => n.kind === 'exchange' && n.name === rawName)!;
    const id = own(raw, 'id');
    if (isUsableId(id) && !state.ids.has(id)) {
      state.merged.set(id, kept.id);
      state.ids.add(id);
    }
    state.repairs.push(sentence(`merged a second ${who()} into the first: each exchange name exists once in RabbitMQ`));
    return null;
  }

  const id = repairId(raw, k, who, state);
  const name = repairName(k, rawName, who, state);
  const defaults = makeNode(k, id, typeof name === 'string' ? name : '', { x: 0, y: 0 }) as unknown as Record<string, unknown>;
  const node: Candidate = { id, kind: k };
  const missing: string[] = [];
  const whoNow = () => (typeof name === 'string' ? describe(k, name) : who());
  for (const field of FIELDS[k]) {
    if (field === 'id' || field === 'kind') continue;
    if (field === 'name') {
      node.name = name;
      continue;
    }
    if (field === 'position') {
      node.position = repairPosition(own(raw, 'position'), whoNow, state.repairs);
      continue;
    }
    const value = own(raw, field);
    if (value === undefined && OPTIONAL_FIELDS.has(field)) continue;
    if (value === undefined) {
      missing.push(`${field} ${show(defaults[field])}`);
      node[field] = defaults[field];
    } else {
      node[field] = TABLE_FIELDS.has(field) ? copyTable(value, `${whoNow()}'s ${field}`, state.repairs) : value;
    }
  }
  if (missing.length > 0) state.repairs.push(sentence(`filled in what ${whoNow()} lacked with the defaults: ${missing.join(', ')}`));
  dropUnknown(raw, FIELDS[k], whoNow(), state.repairs);
  if (k === 'producer') repairProducerSettings(node, whoNow(), state.repairs);
  if (k === 'consumer') repairConsumerSettings(node, whoNow(), state.repairs);
  if (k === 'exchange') repairBuiltIn(node, whoNow(), state.repairs);
  state.nodes.set(id, node);
  return node;
}

/** The node's name: a default one when missing, a unique one when another node of its kind has it. */
function repairName(kind: NodeKind, raw: unknown, who: () => string, state: Repair): unknown {
  const given = state.given.get(kind)!;
  if (raw === undefined) {
    const name = defaultName(kind, new Set([...state.names.get(kind)!, ...given]));
    given.add(name);
    state.repairs.push(sentence(`named a ${kind} without a name '${name}'`));
    return name;
  }
  if (typeof raw !== 'string') return raw;
  // Server-named queues all have the empty name.
  if (isServerNamed({ kind, name: raw })) return raw;
  if (!given.has(raw)) {
    given.add(raw);
    return raw;
  }
  const name = uniqueName(raw, new Set([...state.names.get(kind)!, ...given]));
  given.add(name);
  state.repairs.push(sentence(`renamed the second ${who()} '${clip(name)}': two ${kind}s cannot share a name`));
  return name;
}

function repairPosition(raw: unknown, who: () => string, repairs: string[]): Position {
  if (!isPlainObject(raw)) {
    repairs.push(sentence(`placed ${who()} at 0, 0: ${raw === undefined ? 'it had no position' : 'its position was not { x, y }'}`));
    return { x: 0, y: 0 };
  }
  const x = coordinate(own(raw, 'x'));
  const y = coordinate(own(raw, 'y'));
  if (x !== own(raw, 'x') || y !== own(raw, 'y')) {
    repairs.push(sentence(`moved ${who()} to ${x}, ${y}: its position was not two numbers within ±${LOAD_LIMITS.coordinate.toLocaleString('en')}`));
  }
  return { x, y };
}

function coordinate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  return Math.min(LOAD_LIMITS.coordinate, Math.max(-LOAD_LIMITS.coordinate, value));
}

/** Fills a producer's message in (missing parts) and makes a burst count a whole number. */
function repairProducerSettings(node: Candidate, who: string, repairs: string[]): void {
  const message = node.message;
  if (isPlainObject(message)) {
    const defaults = (makeNode('producer', '', '', { x: 0, y: 0 }) as ProducerNode).message;
    const out: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [field, fallback] of Object.entries(defaults)) {
      const value = own(message, field);
      if (value === undefined) missing.push(`${field} ${show(fallback)}`);
      out[field] = value === undefined ? fallback : field === 'properties' ? copyTable(value, `${who}'s message properties`, repairs) : value;
    }
    if (missing.length > 0) repairs.push(sentence(`filled in what ${who}'s message lacked with the defaults: ${missing.join(', ')}`));
    dropUnknown(message, ['routingKey', 'body', 'properties'], `${who}'s message`, repairs);
    node.message = out;
  }
  const mode = node.mode;
  if (isPlainObject(mode)) {
    const kind = own(mode, 'kind');
    const count = own(mode, 'count');
    if (kind === 'burst' && typeof count === 'number' && Number.isFinite(count) && !(Number.isSafeInteger(count) && count >= 1)) {
      const whole = Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.round(count)));
      repairs.push(sentence(`made ${who}'s burst ${whole} messages: it was ${count}`));
      node.mode = { kind, count: whole };
    } else if (kind === 'burst') node.mode = { kind, count };
    else if (kind === 'rate') node.mode = { kind, perSecond: own(mode, 'perSecond') };
    else if (kind === 'once') node.mode = { kind };
  }
}

/** Brings a consumer's numbers into range: prefetch a whole number 0..65535, work time and failure rate not negative. */
function repairConsumerSettings(node: Candidate, who: string, repairs: string[]): void {
  const clamp = (field: string, value: unknown, min: number, max: number, whole: boolean, fallback: number): unknown => {
    if (typeof value !== 'number') return value;
    const fixed = Number.isFinite(value) ? Math.min(max, Math.max(min, whole ? Math.round(value) : value)) : fallback;
    if (fixed !== value) repairs.push(sentence(`set ${who}'s ${field} to ${fixed}: it was ${show(value)}`));
    return fixed;
  };
  node.prefetch = clamp('prefetch', node.prefetch, 0, MAX_PREFETCH, true, 1);
  node.workMs = clamp('work time (ms)', node.workMs, 0, Number.MAX_VALUE, false, 1000);
  const failure = node.failure;
  if (isPlainObject(failure)) {
    const rate = own(failure, 'rate');
    const action = own(failure, 'action');
    dropUnknown(failure, ['rate', 'action'], `${who}'s failure settings`, repairs);
    node.failure = {
      rate: rate === undefined ? 0 : clamp('failure rate', rate, 0, 1, false, 0),
      action: action === undefined ? 'nack-requeue' : action,
    };
  }
}

/** An exchange named after a built-in gets the built-in's declaration, which cannot change. */
function repairBuiltIn(node: Candidate, who: string, repairs: string[]): void {
  if (typeof node.name !== 'string' || !builtInExchange(node.name)) return;
  const fixed = withBuiltInDeclaration({ ...(node as unknown as ExchangeNode), arguments: {} });
  const changed = (['type', 'durable', 'autoDelete', 'internal'] as const).some((f) => node[f] !== fixed[f]) || !isPlainObject(node.arguments) || Object.keys(node.arguments).length > 0;
  if (!changed) return;
  Object.assign(node, { type: fixed.type, durable: fixed.durable, autoDelete: fixed.autoDelete, internal: fixed.internal, arguments: {} });
  repairs.push(sentence(`gave ${who} its built-in declaration (a ${fixed.type} exchange, durable, ${fixed.internal ? 'internal' : 'not internal'}, no arguments): it cannot change`));
}

/** The node an id in the input stands for (a merged built-in exchange stands for the one kept). */
function resolve(state: Repair, id: unknown): Candidate | undefined {
  if (typeof id !== 'string') return undefined;
  return state.nodes.get(id) ?? state.nodes.get(state.merged.get(id) ?? '');
}

/** A producer's target and a consumer's queue: kept when sound, else unlinked (said in a repair). */
function repairLinks(node: Candidate, state: Repair): void {
  const who = describe(node.kind, node.name);
  if (node.kind === 'producer') {
    const target = node.target;
    if (target === null) return;
    const to = isPlainObject(target) ? resolve(state, own(target, 'id')) : undefined;
    const why = !isPlainObject(target)
      ? 'its target was not { kind, id }'
      : !to
        ? `it published to '${clip(String(own(target, 'id')))}', which is not in the diagram`
        : to.kind !== 'exchange' && to.kind !== 'queue'
          ? `it published to a ${to.kind}; a producer publishes to an exchange or a queue`
          : publishProblem(node as unknown as ProducerNode, to as unknown as DiagramNode);
    if (why) {
      state.repairs.push(sentence(`unlinked ${who}: ${why}`));
      node.target = null;
      return;
    }
    if (own(target as Record<string, unknown>, 'kind') !== to!.kind && own(target as Record<string, unknown>, 'kind') !== undefined) {
      state.repairs.push(sentence(`${who} publishes to ${describe(to!.kind, to!.name)}: its target said ${show(own(target as Record<string, unknown>, 'kind'))}`));
    }
    node.target = { kind: to!.kind, id: to!.id };
  }
  if (node.kind === 'consumer') {
    const queue = node.queue;
    if (queue === null) return;
    const from = resolve(state, queue);
    const why = typeof queue !== 'string'
      ? 'its queue was not an id'
      : !from
        ? `it read from '${clip(queue)}', which is not in the diagram`
        : consumeProblem(node as unknown as DiagramNode & { kind: 'consumer' }, from as unknown as DiagramNode);
    if (why) {
      state.repairs.push(sentence(`unlinked ${who}: ${why}`));
      node.queue = null;
      return;
    }
    node.queue = from!.id;
  }
}

const BINDING_FIELDS = ['id', 'source', 'destination', 'routingKey', 'arguments'] as const;

/** A binding with sound ends, or null when it is dropped (said in a repair). */
function repairBinding(raw: unknown, index: number, state: Repair, identities: Set<string>): Record<string, unknown> | null {
  if (!isPlainObject(raw)) refuse(`Binding ${index + 1} of the ${state.noun} is not an object.`);
  const source = resolve(state, own(raw, 'source'));
  const destinationRaw = own(raw, 'destination');
  const destination = isPlainObject(destinationRaw) ? resolve(state, own(destinationRaw, 'id')) : resolve(state, destinationRaw);
  const routingKey = own(raw, 'routingKey');
  const keyText = typeof routingKey === 'string' && routingKey !== '' ? ` with key '${clip(routingKey)}'` : '';
  const what = () =>
    source && destination
      ? `the binding from ${describe(source.kind, source.name)} to ${describe(destination.kind, destination.name)}${keyText}`
      : `binding ${index + 1}${keyText}`;
  const drop = (why: string) => {
    state.repairs.push(sentence(`dropped ${what()}: ${why}`));
    return null;
  };
  if (!source) return drop(`its source ${show(own(raw, 'source'))} is not in the diagram`);
  if (!destination) return drop(`its destination ${show(isPlainObject(destinationRaw) ? own(destinationRaw, 'id') : destinationRaw)} is not in the diagram`);
  const problem = bindProblem(source as unknown as DiagramNode, destination as unknown as DiagramNode);
  if (problem) return drop(problem);

  const id = repairId(raw, 'binding', what, state);
  const saidKind = isPlainObject(destinationRaw) ? own(destinationRaw, 'kind') : undefined;
  if (saidKind !== undefined && saidKind !== destination.kind) state.repairs.push(sentence(`${what()} ends at a ${destination.kind}: it said ${show(saidKind)}`));
  const missing: string[] = [];
  const read = (field: 'routingKey' | 'arguments', fallback: unknown) => {
    const value = own(raw, field);
    if (value !== undefined) return value;
    missing.push(`${field} ${show(fallback)}`);
    return fallback;
  };
  const binding: Record<string, unknown> = {
    id,
    source: source.id,
    destination: { kind: destination.kind, id: destination.id },
    routingKey: read('routingKey', ''),
    arguments: copyTable(read('arguments', {}), `${what()}'s arguments`, state.repairs),
  };
  if (missing.length > 0) state.repairs.push(sentence(`filled in what ${what()} lacked with the defaults: ${missing.join(', ')}`));
  dropUnknown(raw, BINDING_FIELDS, what(), state.repairs);
  if (typeof binding.routingKey === 'string' && isPlainObject(binding.arguments)) {
    const identity = bindingIdentity(binding as { source: string; destination: { kind: 'queue'; id: string }; routingKey: string; arguments: Record<string, unknown> });
    if (identities.has(identity)) {
      state.ids.delete(id);
      return drop('the same binding is already there (RabbitMQ identifies a binding by its source, destination, key and arguments)');
    }
    identities.add(identity);
  }
  return binding;
}

function repairView(raw: unknown, repairs: string[]): unknown {
  if (raw === undefined) return undefined;
  if (viewProblem(raw)) {
    repairs.push('Dropped the saved pan and zoom: it was not { x, y, zoom } with finite numbers and a zoom above 0.');
    return undefined;
  }
  const view = raw as Record<string, unknown>;
  dropUnknown(view, ['x', 'y', 'zoom'], 'the saved pan and zoom', repairs);
  return { x: view.x, y: view.y, zoom: view.zoom };
}

function repairExercises(raw: unknown, noun: string, repairs: string[]): unknown[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    repairs.push('Dropped the pinned exercises: they were not a list.');
    return undefined;
  }
  checkCount(noun, raw.length, DIAGRAM_LIMITS.exercises, 'pinned exercises');
  const out: { bindingKey: string; routingKey: string }[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < raw.length; index++) {
    const exercise: unknown = raw[index];
    const problem = exerciseProblem(exercise);
    if (problem) {
      repairs.push(sentence(`dropped pinned exercise ${index + 1}: ${problem}`));
      continue;
    }
    const { bindingKey, routingKey } = exercise as { bindingKey: string; routingKey: string };
    const key = JSON.stringify([bindingKey, routingKey]);
    if (seen.has(key)) {
      repairs.push(sentence(`dropped pinned exercise ${index + 1}: the same pair is pinned before it`));
      continue;
    }
    seen.add(key);
    dropUnknown(exercise as Record<string, unknown>, ['bindingKey', 'routingKey'], `pinned exercise ${index + 1}`, repairs);
    out.push({ bindingKey, routingKey });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** An own property, never an inherited one (`constructor`, `toString`). */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** Says which keys of an object are not fields of it (they are not copied). */
function dropUnknown(object: Record<string, unknown>, known: readonly string[], who: string, repairs: string[]): void {
  const unknown = Object.keys(object).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const listedKeys = unknown.slice(0, 5).map((k) => `'${clip(k)}'`).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '');
  repairs.push(sentence(`dropped what ${who} had that a diagram does not: ${listedKeys}`));
}

/**
 * A deep copy of a field table without the keys that reach a prototype (each drop said). Not a
 * table: returned as it is, for the schema to refuse. Depth is bounded by the size caps.
 */
function copyTable(value: unknown, who: string, repairs: string[]): unknown {
  if (!isPlainObject(value) || !isWalkable(value)) return value;
  const dropped = new Set<string>();
  const copy = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null || !isWalkable(item)) return item;
    if (Array.isArray(item)) return item.map(copy);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(item)) {
      if (UNSAFE_KEYS.has(key)) dropped.add(key);
      else out[key] = copy((item as Record<string, unknown>)[key]);
    }
    return out;
  };
  const out = copy(value);
  if (dropped.size > 0) repairs.push(sentence(`dropped the key${dropped.size > 1 ? 's' : ''} ${[...dropped].map((k) => `'${k}'`).join(', ')} from ${who}: such names are not accepted`));
  return out;
}

/** How a message names a node whose fields are not checked yet. */
function describe(kind: NodeKind, name: unknown): string {
  if (typeof name !== 'string') return `a ${kind}`;
  return describeNode({ kind, name: clip(name) } as DiagramNode);
}

/** Where a schema issue is, in words: "queue 'orders': durable", "binding 3: routingKey". */
function where(candidate: Record<string, unknown>, path: SchemaPath): string {
  const [list, index, ...rest] = path;
  const field = rest.join('.');
  if ((list === 'nodes' || list === 'bindings' || list === 'exercises') && typeof index === 'number') {
    const items = candidate[list] as Record<string, unknown>[];
    const item = items[index];
    const who =
      list === 'nodes' && item && KINDS.includes(item.kind as NodeKind)
        ? describe(item.kind as NodeKind, item.name)
        : list === 'bindings'
          ? `binding ${index + 1}`
          : list === 'exercises'
            ? `pinned exercise ${index + 1}`
            : `node ${index + 1}`;
    return field ? `${who}: ${field}` : who;
  }
  if (list === 'view') return index === undefined ? 'the saved pan and zoom' : `the saved pan and zoom: ${String(index)}`;
  return path.length === 0 ? 'the diagram' : path.join('.');
}

/** A short, readable form of any value for a message. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${clip(value)}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return clip(canonicalJson(value), 60);
  return 'something else';
}

/** A string cut to a length a message can show. */
function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Capitalized, with a full stop. */
function sentence(text: string): string {
  const body = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(body) ? body : `${body}.`;
}

/** The repairs, at most LOAD_LIMITS.repairsListed of them one by one, the rest counted. */
function listed(repairs: string[]): string[] {
  const max = LOAD_LIMITS.repairsListed;
  if (repairs.length <= max) return repairs;
  const more = repairs.length - max;
  return [...repairs.slice(0, max), `And ${more.toLocaleString('en')} more repair${more === 1 ? '' : 's'} of the same kinds.`];
}
