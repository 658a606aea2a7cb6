/**
 * A minimal event emitter with Node's `on/once/off/emit` shape, so amqplib-style code
 * (`channel.on('error', …)`) runs unchanged in the browser too. Unlike Node's, an `error` with
 * no listener does not throw: the broker reports it instead (see `Broker.observe`).
 */

type Listener = (...args: never[]) => void;

export class Emitter {
  #listeners = new Map<string, Listener[]>();

  on(event: string, listener: (...args: never[]) => void): this {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  addListener(event: string, listener: (...args: never[]) => void): this {
    return this.on(event, listener);
  }

  once(event: string, listener: (...args: never[]) => void): this {
    const wrapper = (...args: never[]) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: (...args: never[]) => void): this {
    const list = this.#listeners.get(event);
    if (!list) return this;
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
    return this;
  }

  removeListener(event: string, listener: (...args: never[]) => void): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls every listener; returns whether there was one. */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) (listener as (...a: unknown[]) => void)(...args);
    return true;
  }
}
