/**
 * AMQP errors as RabbitMQ raises them: a reply code, RabbitMQ's text, and what the error closes.
 *
 * The text is exactly what RabbitMQ sends in channel.close / connection.close, e.g.
 * `NOT_FOUND - no queue 'x' in vhost '/'`, so what people learn here holds on a real broker.
 */

export type ReplyName =
  | 'CONTENT_TOO_LARGE'
  | 'NO_ROUTE'
  | 'NO_CONSUMERS'
  | 'CONNECTION_FORCED'
  | 'INVALID_PATH'
  | 'ACCESS_REFUSED'
  | 'NOT_FOUND'
  | 'RESOURCE_LOCKED'
  | 'PRECONDITION_FAILED'
  | 'FRAME_ERROR'
  | 'SYNTAX_ERROR'
  | 'COMMAND_INVALID'
  | 'CHANNEL_ERROR'
  | 'UNEXPECTED_FRAME'
  | 'RESOURCE_ERROR'
  | 'NOT_ALLOWED'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_ERROR';

export const REPLY_CODES: Record<ReplyName, number> = {
  CONTENT_TOO_LARGE: 311,
  NO_ROUTE: 312,
  NO_CONSUMERS: 313,
  CONNECTION_FORCED: 320,
  INVALID_PATH: 402,
  ACCESS_REFUSED: 403,
  NOT_FOUND: 404,
  RESOURCE_LOCKED: 405,
  PRECONDITION_FAILED: 406,
  FRAME_ERROR: 501,
  SYNTAX_ERROR: 502,
  COMMAND_INVALID: 503,
  CHANNEL_ERROR: 504,
  UNEXPECTED_FRAME: 505,
  RESOURCE_ERROR: 506,
  NOT_ALLOWED: 530,
  NOT_IMPLEMENTED: 540,
  INTERNAL_ERROR: 541,
};

/** Hard errors close the whole connection; soft ones only the channel (AMQP 0-9-1 §1.2). */
const CONNECTION_SCOPED = new Set<ReplyName>([
  'CONNECTION_FORCED',
  'INVALID_PATH',
  'FRAME_ERROR',
  'SYNTAX_ERROR',
  'COMMAND_INVALID',
  'CHANNEL_ERROR',
  'UNEXPECTED_FRAME',
  'RESOURCE_ERROR',
  'NOT_ALLOWED',
  'NOT_IMPLEMENTED',
  'INTERNAL_ERROR',
]);

/** The AMQP method that failed, as amqplib names it (`QueueDeclare`), with its class/method ids. */
export interface AmqpMethod {
  name: string;
  classId: number;
  methodId: number;
}

export class AmqpError extends Error {
  readonly code: number;
  readonly replyName: ReplyName;
  /** RabbitMQ's reply text: `NAME - detail`. */
  readonly replyText: string;
  readonly scope: 'channel' | 'connection';
  classId = 0;
  methodId = 0;

  constructor(replyName: ReplyName, detail: string) {
    const replyText = truncateReplyText(`${replyName} - ${detail}`);
    super(replyText);
    this.name = 'AmqpError';
    this.replyName = replyName;
    this.code = REPLY_CODES[replyName];
    this.replyText = replyText;
    this.scope = CONNECTION_SCOPED.has(replyName) ? 'connection' : 'channel';
  }

  /** The method that caused it, for amqplib-shaped error messages. */
  during(method: AmqpMethod): this {
    this.classId = method.classId;
    this.methodId = method.methodId;
    return this;
  }
}

/** Reply texts are AMQP short strings: RabbitMQ cuts longer ones to 252 bytes and adds `...`. */
function truncateReplyText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 255) return text;
  return `${new TextDecoder().decode(bytes.slice(0, 252)).replace(/\uFFFD$/, '')}...`;
}

/** `vhost '/'` as RabbitMQ quotes resources in its texts. */
export function resource(kind: 'exchange' | 'queue', name: string, vhost: string): string {
  return `${kind} '${name}' in vhost '${vhost}'`;
}

export const notFound = (kind: 'exchange' | 'queue', name: string, vhost: string) =>
  new AmqpError('NOT_FOUND', `no ${kind} '${name}' in vhost '${vhost}'`);

export const accessRefused = (detail: string) => new AmqpError('ACCESS_REFUSED', detail);
export const preconditionFailed = (detail: string) => new AmqpError('PRECONDITION_FAILED', detail);
export const resourceLocked = (detail: string) => new AmqpError('RESOURCE_LOCKED', detail);
export const commandInvalid = (detail: string) => new AmqpError('COMMAND_INVALID', detail);

/** The reply-code words amqplib prints between parentheses (its `constant_strs`). */
export function amqplibCodeWord(code: number): string {
  const entry = Object.entries(REPLY_CODES).find(([, c]) => c === code);
  return entry ? entry[0].replace(/_/g, '-') : String(code);
}
