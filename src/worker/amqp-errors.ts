/**
 * What the simulated clients were told when something failed, as RabbitMQ's reply code and text.
 * amqplib reports a server close as `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED)
 * with message "PRECONDITION_FAILED - ..."` with the code on `err.code`; the UI wants the code
 * and RabbitMQ's own text, so the amqplib wrapping is taken off here.
 */

/** A failure as the UI shows it: an AMQP reply code (404, 406, ...) and RabbitMQ's text. */
export interface ClientError {
  /** The AMQP reply code; 'CLIENT_ERROR' when amqplib refused the call before sending it. */
  code: number | string;
  message: string;
}

const WITH_MESSAGE = /with message "([\s\S]*)"$/;

/** RabbitMQ's code and text from an error amqplib raised (or the error's own message). */
export function clientErrorOf(thrown: unknown): ClientError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    const text = WITH_MESSAGE.exec(error.message)?.[1];
    return { code, message: text ?? error.message };
  }
  return { code: 'CLIENT_ERROR', message: error.message };
}

/** True for the errors amqplib raises when the server closed the channel or connection. */
export function isServerClose(thrown: unknown): boolean {
  return thrown instanceof Error && typeof (thrown as { code?: unknown }).code === 'number';
}
