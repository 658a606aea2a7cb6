/**
 * A queue's ready messages in order. Layout: one array used as a deque (a head index instead of
 * shifting), compacted when more than half of it is consumed. Publishing appends (O(1));
 * taking the head is O(1); a requeued message goes back to its original place by its sequence
 * number (binary search + splice, as RabbitMQ's classic queues keep requeued messages in order).
 */

import type { QueuedMessage } from './message';

export class ReadyList {
  #items: (QueuedMessage | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(qm: QueuedMessage): void {
    this.#items.push(qm);
  }

  peek(): QueuedMessage | undefined {
    return this.#items[this.#head];
  }

  shift(): QueuedMessage | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const qm = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return qm;
  }

  /** Puts a message back where its sequence number says it belongs. */
  insertInOrder(qm: QueuedMessage): void {
    const items = this.#items;
    let lo = this.#head;
    let hi = items.length;
    if (hi === lo || items[hi - 1]!.seq < qm.seq) {
      items.push(qm);
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid]!.seq < qm.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.#head && this.#head > 0) {
      items[--this.#head] = qm;
      return;
    }
    items.splice(lo, 0, qm);
  }

  /** Removes everything; returns how many messages there were. */
  clear(): number {
    const count = this.length;
    this.#items = [];
    this.#head = 0;
    return count;
  }

  *[Symbol.iterator](): IterableIterator<QueuedMessage> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i]!;
  }
}
