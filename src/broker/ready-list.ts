/**
 * A queue's ready messages in order.
 *
 * Layout: two parallel arrays used as a deque (a head index instead of shifting, compacted when
 * more than half is consumed): the shared Message objects, and one small integer per message,
 * `seq * 2 + redelivered`. A message waiting in a queue thus costs one array slot in each and no
 * object of its own; the QueuedMessage record is made only when it leaves (delivery or get).
 * Publishing appends (O(1)); taking the head is O(1); a requeued message goes back to its
 * original place by its sequence number (binary search + splice), as RabbitMQ's classic queues
 * keep requeued messages in order.
 */

import type { Message, QueuedMessage } from './message';

export class ReadyList {
  #messages: (Message | undefined)[] = [];
  #meta: number[] = [];
  #head = 0;

  get length(): number {
    return this.#messages.length - this.#head;
  }

  /** Appends a message that has not been delivered before. */
  push(message: Message, seq: number): void {
    this.#messages.push(message);
    this.#meta.push(seq * 2);
  }

  /** The head message, without taking it. */
  peek(): Message | undefined {
    return this.#messages[this.#head];
  }

  shift(): QueuedMessage | undefined {
    const at = this.#head;
    if (at >= this.#messages.length) return undefined;
    const message = this.#messages[at]!;
    const meta = this.#meta[at]!;
    this.#messages[at] = undefined;
    this.#head = at + 1;
    if (this.#head > 1024 && this.#head * 2 > this.#messages.length) this.#compact();
    return { message, seq: Math.floor(meta / 2), redelivered: meta % 2 === 1 };
  }

  #compact(): void {
    this.#messages = this.#messages.slice(this.#head);
    this.#meta = this.#meta.slice(this.#head);
    this.#head = 0;
  }

  /** Puts a delivered message back where its sequence number says it belongs. */
  insertInOrder(qm: QueuedMessage): void {
    const meta = qm.seq * 2 + (qm.redelivered ? 1 : 0);
    const seqs = this.#meta;
    let lo = this.#head;
    let hi = seqs.length;
    if (hi === lo || Math.floor(seqs[hi - 1]! / 2) < qm.seq) {
      this.#messages.push(qm.message);
      seqs.push(meta);
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.floor(seqs[mid]! / 2) < qm.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.#head && this.#head > 0) {
      this.#head--;
      this.#messages[this.#head] = qm.message;
      seqs[this.#head] = meta;
      return;
    }
    this.#messages.splice(lo, 0, qm.message);
    seqs.splice(lo, 0, meta);
  }

  /** Removes everything; returns how many messages there were. */
  clear(): number {
    const count = this.length;
    this.#messages = [];
    this.#meta = [];
    this.#head = 0;
    return count;
  }

  /** The ready messages in order (for inspection; allocates a record per message). */
  *[Symbol.iterator](): IterableIterator<QueuedMessage> {
    for (let i = this.#head; i < this.#messages.length; i++) {
      const meta = this.#meta[i]!;
      yield { message: this.#messages[i]!, seq: Math.floor(meta / 2), redelivered: meta % 2 === 1 };
    }
  }
}
