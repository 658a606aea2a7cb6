/**
 * The simulated clock. Nothing in the core reads real time or uses real timers: every timer
 * (TTL, expiry, consumer work) is a task on this clock, run by `advance(ms)` in due order.
 *
 * Layout: a binary min-heap of tasks keyed by (due time, insertion sequence), so tasks due at
 * the same instant run in the order they were scheduled. Cost: schedule and pop O(log n);
 * cancel is O(1) (the task is marked and skipped when popped).
 */

export interface ClockTask {
  readonly due: number;
  readonly seq: number;
  cancelled: boolean;
  readonly run: () => void;
}

export class SimulatedClock {
  #now = 0;
  #seq = 0;
  #heap: ClockTask[] = [];
  /** Called after each task runs (the broker delivers its clients' frames there). */
  afterEach: (() => void) | undefined;

  now(): number {
    return this.#now;
  }

  /** Runs `run` when the clock reaches `due` (at once on the next advance if already past). */
  at(due: number, run: () => void): ClockTask {
    const task: ClockTask = { due, seq: this.#seq++, cancelled: false, run };
    this.#push(task);
    return task;
  }

  after(ms: number, run: () => void): ClockTask {
    return this.at(this.#now + Math.max(0, ms), run);
  }

  cancel(task: ClockTask | undefined): void {
    if (task) task.cancelled = true;
  }

  /** When the next live task is due, or undefined when nothing is scheduled. */
  nextDue(): number | undefined {
    this.#dropCancelledHead();
    return this.#heap[0]?.due;
  }

  /** Moves time forward by `ms`, running every task due on the way, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative number of ms, got ${ms}`);
    const target = this.#now + ms;
    const failures: unknown[] = [];
    for (;;) {
      this.#dropCancelledHead();
      const head = this.#heap[0];
      if (!head || head.due > target) break;
      this.#pop();
      if (head.due > this.#now) this.#now = head.due;
      // One failing task (a client's timer that throws) must not stop the others, as in Node.
      try {
        head.run();
      } catch (error) {
        failures.push(error);
      }
      try {
        this.afterEach?.();
      } catch (error) {
        failures.push(error);
      }
    }
    this.#now = target;
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} timers failed during advance(${ms})`);
  }

  #dropCancelledHead(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#pop();
  }

  #before(a: ClockTask, b: ClockTask): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  #push(task: ClockTask): void {
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): ClockTask | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.#before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.#before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
