/**
 * Queue declaration rules of RabbitMQ 4.3.6: which arguments each queue type takes, how their
 * values are checked, and in which order, since the order decides which 406 a client sees.
 * Every text here was observed on a real 4.3.6 (tests/broker/recorded/*arguments*, quorum-*).
 *
 * Validation runs only when a queue is created; a redeclare compares arguments instead
 * (`equivalenceOrder`), so an invalid value there reads as "inequivalent".
 */

import { AmqpError, preconditionFailed } from './errors';
import { erlangTypeName, isIntegerType, type FieldTable, type FieldValue } from './field-table';

export type QueueType = 'classic' | 'quorum' | 'stream';

/** RabbitMQ's module names, as its texts print them. */
export const QUEUE_TYPE_MODULE: Record<QueueType, string> = {
  classic: 'rabbit_classic_queue',
  quorum: 'rabbit_quorum_queue',
  stream: 'rabbit_stream_queue',
};

/**
 * The arguments each type accepts (rabbit_*_queue:capabilities/0, queue_arguments), in the order
 * RabbitMQ compares them when a queue is declared again.
 */
export const SUPPORTED_QUEUE_ARGUMENTS: Record<QueueType, readonly string[]> = {
  classic: [
    'x-expires',
    'x-message-ttl',
    'x-dead-letter-exchange',
    'x-dead-letter-routing-key',
    'x-max-length',
    'x-max-length-bytes',
    'x-max-priority',
    'x-overflow',
    'x-queue-mode',
    'x-queue-version',
    'x-single-active-consumer',
    'x-queue-type',
    'x-queue-leader-locator',
    'x-queue-master-locator',
  ],
  quorum: [
    'x-dead-letter-exchange',
    'x-dead-letter-routing-key',
    'x-dead-letter-strategy',
    'x-expires',
    'x-max-length',
    'x-max-length-bytes',
    'x-overflow',
    'x-single-active-consumer',
    'x-queue-type',
    'x-quorum-initial-group-size',
    'x-delivery-limit',
    'x-message-ttl',
    'x-queue-leader-locator',
    'x-quorum-target-group-size',
  ],
  stream: [
    'x-max-length-bytes',
    'x-queue-type',
    'x-max-age',
    'x-stream-max-segment-size-bytes',
    'x-stream-filter-size-bytes',
    'x-initial-cluster-size',
    'x-queue-leader-locator',
  ],
};

/** Every argument some queue type knows: others (`x-foo`) are accepted and ignored. */
const KNOWN = new Set(Object.values(SUPPORTED_QUEUE_ARGUMENTS).flat());

/** Accepted but never compared on redeclare. */
const NOT_COMPARED = new Set(['x-queue-master-locator', 'x-quorum-target-group-size']);

/** The order RabbitMQ compares arguments on redeclare, per type of the existing queue. */
const compared = (type: QueueType) => SUPPORTED_QUEUE_ARGUMENTS[type].filter((key) => !NOT_COMPARED.has(key));
export const EQUIVALENCE_ORDER: Record<QueueType, readonly string[]> = {
  classic: compared('classic'),
  quorum: compared('quorum'),
  stream: compared('stream'),
};

const AGE_UNITS: Record<string, number> = { Y: 365 * 86_400_000, M: 30 * 86_400_000, D: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/**
 * RabbitMQ stores a stream's `x-max-age` ("1D", "12h") as milliseconds, still a string, and
 * compares and reports it that way.
 */
export function normalizeQueueArguments(args: FieldTable): FieldTable {
  const age = args['x-max-age'];
  if (age?.type !== 'longstr') return args;
  const match = /^(\d+)([YMDhms])$/.exec(age.value);
  if (!match) return args;
  const ms = Number(match[1]) * AGE_UNITS[match[2]!]!;
  const copy: FieldTable = Object.create(null);
  for (const key of Object.keys(args)) copy[key] = args[key]!;
  copy['x-max-age'] = { type: 'longstr', value: String(ms) };
  return copy;
}

type Check = (v: FieldValue, args: FieldTable) => string | null;

const typeName = (v: FieldValue) => erlangTypeName(v.type);

function integer(v: FieldValue): number | string {
  if (!isIntegerType(v.type)) return `"expected integer, got ${typeName(v)}"`;
  return Number(v.value);
}

/** An integer check with RabbitMQ's reasons for each bound it enforces. */
function intArg(options: { zero?: boolean; max?: number } = {}): Check {
  return (v) => {
    const n = integer(v);
    if (typeof n === 'string') return n;
    if (n < 0) return `{value_negative,${n}}`;
    if (n === 0 && options.zero === false) return `{value_zero,${n}}`;
    if (options.max !== undefined && n > options.max) return `{max_value_exceeded,${n}}`;
    return null;
  };
}

function oneOf(values: readonly string[], invalid: (s: string) => string): Check {
  return (v) => {
    if (v.type !== 'longstr') return `{unacceptable_type,${typeName(v)}}`;
    return values.includes(v.value) ? null : invalid(v.value);
  };
}

/** rabbit_amqqueue:declare_args/0: value checks, in the order RabbitMQ runs them. */
const VALUE_CHECKS: [string, Check][] = [
  ['x-expires', intArg({ zero: false })],
  ['x-message-ttl', intArg()],
  [
    'x-dead-letter-routing-key',
    (v, args) => {
      if (v.type !== 'longstr') return `{unacceptable_type,${typeName(v)}}`;
      return args['x-dead-letter-exchange'] ? null : 'routing_key_but_no_dlx_defined';
    },
  ],
  ['x-dead-letter-strategy', oneOf(['at-most-once', 'at-least-once'], () => 'invalid_dlx_strategy')],
  ['x-max-length', intArg()],
  ['x-max-length-bytes', intArg()],
  ['x-max-priority', intArg({ max: 255 })],
  ['x-overflow', oneOf(['drop-head', 'reject-publish', 'reject-publish-dlx'], () => 'invalid_overflow')],
  [
    'x-queue-version',
    (v) => {
      const n = integer(v);
      if (typeof n === 'string') return n;
      return n === 1 || n === 2 ? null : `"unsupported queue version '${n}'"`;
    },
  ],
  ['x-single-active-consumer', (v) => (v.type === 'bool' ? null : `{unacceptable_type,${typeName(v)}}`)],
  ['x-quorum-initial-group-size', intArg()],
  ['x-initial-cluster-size', intArg()],
  ['x-stream-max-segment-size-bytes', intArg()],
  ['x-stream-filter-size-bytes', intArg()],
  ['x-queue-leader-locator', oneOf(['client-local', 'balanced'], () => 'invalid_queue_locator_arg')],
];

/** The queue type an `x-queue-type` argument asks for (classic when absent). */
export function requestedQueueType(args: FieldTable, where: string): QueueType {
  const t = args['x-queue-type'];
  if (!t) return 'classic';
  if (t.type !== 'longstr') throw preconditionFailed(`invalid arg 'x-queue-type' for ${where}: {unacceptable_type,${typeName(t)}}`);
  if (t.value === 'classic' || t.value === 'quorum' || t.value === 'stream') return t.value;
  throw preconditionFailed(`invalid arg 'x-queue-type' for ${where}: "unsupported queue type '${t.value}'"`);
}

export interface NewQueue {
  /** `queue 'q' in vhost '/'`, as texts name it. */
  where: string;
  serverNamed: boolean;
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: FieldTable;
}

/** Checks a queue about to be created; returns its type or throws RabbitMQ's error. */
export function validateNewQueue(q: NewQueue): QueueType {
  const type = requestedQueueType(q.arguments, q.where);
  if (type !== 'classic' && q.serverNamed) {
    throw preconditionFailed(`Cannot declare a server-named queue for type ${QUEUE_TYPE_MODULE[type]}`);
  }
  const dlx = q.arguments['x-dead-letter-exchange'];
  if (dlx && dlx.type !== 'longstr') {
    throw preconditionFailed(`invalid type '${typeName(dlx)}' for arg 'x-dead-letter-exchange' in ${q.where}`);
  }
  if (q.arguments['x-queue-master-locator'] && type === 'classic') {
    // 4.x refuses the deprecated feature with a connection-level internal error.
    throw new AmqpError(
      'INTERNAL_ERROR',
      'Feature `queue_master_locator` is deprecated.\nBy default, this feature is not permitted anymore.\nThe feature will be removed from a future major RabbitMQ version, regardless of the configuration; actual version to be determined.\nTo continue using this feature when it is not permitted, set the following parameter in your configuration:\n    "deprecated_features.permit.queue_master_locator = true"',
    );
  }
  const supported = SUPPORTED_QUEUE_ARGUMENTS[type];
  for (const [key, check] of VALUE_CHECKS) {
    const value = q.arguments[key];
    if (!value || !supported.includes(key)) continue;
    const reason = check(value, q.arguments);
    if (reason) throw preconditionFailed(`invalid arg '${key}' for ${q.where}: ${reason}`);
  }
  const unsupported = Object.keys(q.arguments).filter((key) => KNOWN.has(key) && !supported.includes(key));
  if (type === 'classic') unsupported.sort();
  if (unsupported.length > 0) {
    throw preconditionFailed(`invalid arg '${unsupported[0]}' for ${q.where} of queue type ${QUEUE_TYPE_MODULE[type]}`);
  }
  if (type !== 'classic') {
    if (q.autoDelete) throw preconditionFailed(`invalid property 'auto-delete' for ${q.where}`);
    if (q.exclusive) throw preconditionFailed(`invalid property 'exclusive-owner' for ${q.where}`);
    if (!q.durable) throw preconditionFailed(`invalid property 'non-durable' for ${q.where}`);
  }
  return type;
}
