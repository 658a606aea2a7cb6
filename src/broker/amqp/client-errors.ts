/**
 * Client-side errors shaped like amqplib's, so code that inspects `err.code` or prints
 * `err.message` sees what it would see against a real broker through amqplib.
 */

import { amqplibCodeWord, type AmqpError } from '../errors';

/** amqplib's IllegalOperationError: using a channel or connection after it closed. */
export class IllegalOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalOperationError';
  }
}

export interface ServerCloseError extends Error {
  code: number;
  classId: number;
  methodId: number;
}

function closeMessage(error: AmqpError): string {
  return `${error.code} (${amqplibCodeWord(error.code)}) with message "${error.replyText}"`;
}

function withFields(message: string, error: AmqpError): ServerCloseError {
  return Object.assign(new Error(message), { code: error.code, classId: error.classId, methodId: error.methodId });
}

/** The rejection of the call that caused a channel close. */
export function operationFailed(methodName: string, error: AmqpError): ServerCloseError {
  return withFields(`Operation failed: ${methodName}; ${closeMessage(error)}`, error);
}

/** The channel's 'error' event. */
export function channelClosedByServer(error: AmqpError): ServerCloseError {
  return withFields(`Channel closed by server: ${closeMessage(error)}`, error);
}

/** The connection's 'error' event. */
export function connectionClosedByServer(error: AmqpError): ServerCloseError {
  return withFields(`Connection closed: ${closeMessage(error)}`, error);
}

export const noReplyForthcoming = () => new Error('Channel ended, no reply will be forthcoming');
