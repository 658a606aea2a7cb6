/**
 * The client's inbox: what the server sends on a connection (replies, deliveries, returns,
 * confirms, closes) reaches the client in order, one microtask later, as frames read off a
 * socket would. Calls run on the server at once; only their answers wait here. No timers.
 */

export class Wire {
  #inbox: (() => void)[] = [];
  #scheduled = false;

  /** Queues one frame's handling; handlers run in the order posted. */
  post(handler: () => void): void {
    this.#inbox.push(handler);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#drain());
    }
  }

  #drain(): void {
    const failures: unknown[] = [];
    for (let i = 0; i < this.#inbox.length; i++) {
      try {
        this.#inbox[i]!();
      } catch (error) {
        failures.push(error);
      }
    }
    this.#inbox = [];
    this.#scheduled = false;
    // A throwing consumer callback must not lose the frames after it; rethrow afterwards, as an
    // uncaught exception in a socket handler would surface.
    for (const error of failures) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
