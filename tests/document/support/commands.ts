/**
 * Random edits for property tests: fast-check arbitraries of abstract commands (node picks by
 * index, names from a small pool so collisions and built-ins come up often) and their reading
 * as actions on a given diagram. Many are refused; that is part of what is tested.
 */

import fc from 'fast-check';
import { clipOf, paste } from '../../../src/document/paste';
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
  updateBinding,
  updateNode,
  type Action,
  type NodeDraft,
  type NodePatch,
} from '../../../src/document/actions';
import type { Diagram, JsonTable, NodeKind } from '../../../src/document/types';

/** Names that collide, refer to built-ins, or are refused. */
const NAMES = ['a', 'b', 'c', 'orders', 'a-2', 'amq.topic', 'amq.direct', '', 'amq.nope'] as const;
/** Queue arguments the real core accepts for a classic queue. */
export const QUEUE_ARGS: readonly JsonTable[] = [{}, { 'x-queue-type': 'classic' }, { 'x-message-ttl': 1000 }, { 'x-max-length': 5, 'x-overflow': 'reject-publish' }];
export const EXCHANGE_ARGS: readonly JsonTable[] = [{}, { 'alternate-exchange': 'a' }];
/** Binding keys every exchange type accepts. */
export const KEYS = ['', 'a', 'a.*', '#', 'x.y.z'] as const;
/** Binding arguments every exchange type accepts (headers included). */
export const BINDING_ARGS: readonly JsonTable[] = [{}, { 'x-match': 'any', k: 'v' }, { k: 1 }];
const TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;

export type Command =
  | { c: 'add'; kind: NodeKind; name: number | null; flags: number; args: number; type: number; x: number }
  | { c: 'addMany'; kinds: NodeKind[] }
  | { c: 'move'; picks: number[]; dx: number }
  | { c: 'update'; pick: number; flags: number; args: number; type: number }
  | { c: 'rename'; pick: number; name: number }
  | { c: 'remove'; picks: number[] }
  | { c: 'drop'; pick: number }
  | { c: 'bind'; from: number; to: number; key: number; args: number }
  | { c: 'rebind'; pick: number; key: number; args: number; to: number | null }
  | { c: 'unbind'; pick: number }
  | { c: 'linkProducer'; from: number; to: number | null }
  | { c: 'linkConsumer'; from: number; to: number | null }
  | { c: 'connect'; from: number; to: number; key: number }
  | { c: 'paste'; picks: number[] }
  | { c: 'view'; zoom: number }
  | { c: 'batch'; first: number; second: number };

const kind = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<NodeKind>('producer', 'consumer') },
  { weight: 2, arbitrary: fc.constantFrom<NodeKind>('exchange', 'queue') },
);
const pick = fc.nat(40);

export const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ c: fc.constant('add' as const), kind, name: fc.option(fc.nat(NAMES.length - 1), { freq: 3 }), flags: fc.nat(7), args: fc.nat(7), type: fc.nat(7), x: fc.integer({ min: -500, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('addMany' as const), kinds: fc.array(kind, { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('move' as const), picks: fc.array(pick, { maxLength: 3 }), dx: fc.integer({ min: -50, max: 50 }) }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('update' as const), pick, flags: fc.nat(7), args: fc.nat(7), type: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('rename' as const), pick, name: fc.nat(NAMES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('remove' as const), picks: fc.array(pick, { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('drop' as const), pick }) },
  { weight: 10, arbitrary: fc.record({ c: fc.constant('bind' as const), from: pick, to: pick, key: fc.nat(KEYS.length - 1), args: fc.nat(BINDING_ARGS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('rebind' as const), pick, key: fc.nat(KEYS.length - 1), args: fc.nat(BINDING_ARGS.length - 1), to: fc.option(pick) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('unbind' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('linkProducer' as const), from: pick, to: fc.option(pick) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('linkConsumer' as const), from: pick, to: fc.option(pick) }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('connect' as const), from: pick, to: pick, key: fc.nat(KEYS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('paste' as const), picks: fc.array(pick, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('view' as const), zoom: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('batch' as const), first: pick, second: pick }) },
);

const nodeAt = (d: Diagram, i: number) => (d.nodes.length === 0 ? undefined : d.nodes[i % d.nodes.length]);
const idAt = (d: Diagram, i: number) => nodeAt(d, i)?.id ?? 'missing-node';
/** The i-th node among those of some kinds (so most picks make sense), or a missing id. */
function idOf(d: Diagram, i: number, ...kinds: NodeKind[]): string {
  const some = d.nodes.filter((n) => kinds.includes(n.kind));
  return some.length === 0 ? 'missing-node' : some[i % some.length]!.id;
}
const bindingAt = (d: Diagram, i: number) => (d.bindings.length === 0 ? 'missing-binding' : d.bindings[i % d.bindings.length]!.id);

function draft(cmd: Extract<Command, { c: 'add' }>): NodeDraft {
  const position = { x: cmd.x, y: cmd.flags * 10 };
  const name = cmd.name === null ? undefined : NAMES[cmd.name];
  const named = name === undefined ? {} : { name };
  switch (cmd.kind) {
    case 'exchange':
      return { kind: 'exchange', position, ...named, type: TYPES[cmd.type % TYPES.length], autoDelete: (cmd.flags & 1) === 1, arguments: EXCHANGE_ARGS[cmd.args % EXCHANGE_ARGS.length] };
    case 'queue':
      return { kind: 'queue', position, ...named, durable: (cmd.flags & 2) === 0, exclusive: (cmd.flags & 4) === 4, arguments: QUEUE_ARGS[cmd.args % QUEUE_ARGS.length] };
    case 'producer':
      return { kind: 'producer', position, ...named, message: { routingKey: KEYS[cmd.type % KEYS.length]!, body: 'hi', properties: {} } };
    case 'consumer':
      return { kind: 'consumer', position, ...named, prefetch: cmd.flags };
  }
}

function patch(d: Diagram, cmd: Extract<Command, { c: 'update' }>): NodePatch {
  const node = nodeAt(d, cmd.pick);
  switch (node?.kind) {
    case 'exchange':
      return { type: TYPES[cmd.type % TYPES.length], autoDelete: (cmd.flags & 1) === 1, internal: (cmd.flags & 6) === 6, arguments: EXCHANGE_ARGS[cmd.args % EXCHANGE_ARGS.length] };
    case 'queue':
      return { durable: (cmd.flags & 2) === 0, autoDelete: (cmd.flags & 1) === 1, arguments: QUEUE_ARGS[cmd.args % QUEUE_ARGS.length] };
    case 'producer':
      return { mode: cmd.flags % 2 ? { kind: 'burst', count: cmd.args + 1 } : { kind: 'once' } };
    case 'consumer':
      return { running: (cmd.flags & 1) === 1, workMs: cmd.args * 100 };
    default:
      return { position: { x: 0, y: 0 } };
  }
}

/** The action a command stands for on this diagram. */
export function toAction(d: Diagram, cmd: Command): Action {
  switch (cmd.c) {
    case 'add':
      return addNode(draft(cmd));
    case 'addMany':
      return addNodes(cmd.kinds.map((k, i) => ({ kind: k, position: { x: i * 100, y: 0 } })));
    case 'move':
      return moveNodes(cmd.picks.map((p) => ({ id: idAt(d, p), position: { x: (nodeAt(d, p)?.position.x ?? 0) + cmd.dx, y: 0 } })));
    case 'update':
      return updateNode(idAt(d, cmd.pick), patch(d, cmd));
    case 'drop':
      return removeNodes([idAt(d, cmd.pick)]);
    case 'rename':
      return renameNode(idAt(d, cmd.pick), NAMES[cmd.name]!);
    case 'remove':
      return removeNodes([...new Set(cmd.picks.map((p) => idAt(d, p)))]);
    case 'bind':
      return addBinding(idOf(d, cmd.from, 'exchange'), idOf(d, cmd.to, 'queue', 'exchange'), { routingKey: KEYS[cmd.key], arguments: BINDING_ARGS[cmd.args] });
    case 'rebind':
      return updateBinding(bindingAt(d, cmd.pick), {
        routingKey: KEYS[cmd.key],
        arguments: BINDING_ARGS[cmd.args],
        ...(cmd.to === null ? {} : { destination: idOf(d, cmd.to, 'queue', 'exchange') }),
      });
    case 'unbind':
      return removeBindings([bindingAt(d, cmd.pick)]);
    case 'linkProducer':
      return linkProducer(idOf(d, cmd.from, 'producer'), cmd.to === null ? null : idOf(d, cmd.to, 'exchange', 'queue'));
    case 'linkConsumer':
      return linkConsumer(idOf(d, cmd.from, 'consumer'), cmd.to === null ? null : idOf(d, cmd.to, 'queue'));
    case 'connect':
      return connect(idAt(d, cmd.from), idAt(d, cmd.to), { routingKey: KEYS[cmd.key] });
    case 'paste':
      return paste(clipOf(d, cmd.picks.map((p) => idAt(d, p))), { x: 40, y: 40 });
    case 'view':
      return setView({ x: cmd.zoom * 10, y: 0, zoom: cmd.zoom / 2 });
    case 'batch':
      return batch('Two edits', [renameNode(idAt(d, cmd.first), `n${cmd.first}`), removeNodes([idAt(d, cmd.second)])]);
  }
}

/** Commands, with undo and redo mixed in (for the gateway). */
export type Step = { c: 'undo' } | { c: 'redo' } | Command;

export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: command },
  { weight: 1, arbitrary: fc.constant({ c: 'undo' as const }) },
  { weight: 1, arbitrary: fc.constant({ c: 'redo' as const }) },
);
