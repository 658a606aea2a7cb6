/** AMQP 0-9-1 methods by amqplib's names, with their class and method ids (for error fields). */

import type { AmqpMethod } from '../errors';

const m = (name: string, classId: number, methodId: number): AmqpMethod => ({ name, classId, methodId });

export const METHODS = {
  ChannelOpen: m('ChannelOpen', 20, 10),
  ChannelClose: m('ChannelClose', 20, 40),
  ExchangeDeclare: m('ExchangeDeclare', 40, 10),
  ExchangeDelete: m('ExchangeDelete', 40, 20),
  ExchangeBind: m('ExchangeBind', 40, 30),
  ExchangeUnbind: m('ExchangeUnbind', 40, 40),
  QueueDeclare: m('QueueDeclare', 50, 10),
  QueueBind: m('QueueBind', 50, 20),
  QueuePurge: m('QueuePurge', 50, 30),
  QueueDelete: m('QueueDelete', 50, 40),
  QueueUnbind: m('QueueUnbind', 50, 50),
  BasicQos: m('BasicQos', 60, 10),
  BasicConsume: m('BasicConsume', 60, 20),
  BasicCancel: m('BasicCancel', 60, 30),
  BasicPublish: m('BasicPublish', 60, 40),
  BasicGet: m('BasicGet', 60, 70),
  BasicAck: m('BasicAck', 60, 80),
  BasicReject: m('BasicReject', 60, 90),
  BasicRecover: m('BasicRecover', 60, 110),
  BasicNack: m('BasicNack', 60, 120),
  ConfirmSelect: m('ConfirmSelect', 85, 10),
} as const;
