/**
 * The client's inbox: what the server sends on a connection (replies, deliveries, returns,
 * confirms, closes) reaches the client in order, one microtask later, as frames read off a
 * socket would. Calls run on the server at once; only their answers wait here. No timers.
 */

export class Wire {
  #inbox: (() => void)[] = [];
  #scheduled = false;
  #draining = false;

  /** Queues one frame's handling; handlers run in the order posted. */
  post(handler: () => void): void {
    this.#inbox.push(handler);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.drainNow();
      });
    }
  }

  /** Runs what is waiting now (the broker does this after each clock task, see Broker.advance). */
  drainNow(): void {
    if (this.#inbox.length > 0 && !this.#draining) this.#drain();
  }

  #drain(): void {
    const failures: unknown[] = [];
    this.#draining = true;
    try {
      // Handlers may post more; they run in this same pass.
      for (let i = 0; i < this.#inbox.length; i++) {
        try {
          this.#inbox[i]!();
        } catch (error) {
          failures.push(error);
        }
      }
    } finally {
      this.#inbox = [];
      this.#draining = false;
    }
    // A throwing consumer callback must not lose the frames after it; rethrow afterwards, as an
    // uncaught exception in a socket handler would surface.
    for (const error of failures) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
