/**
 * The broker's Web Worker: creates the broker core and serves it over the protocol in
 * `protocol.ts`. No DOM here; the only runtime import of the broker in the whole app.
 */

import { createBroker } from '../broker/index';
import { createHost } from './host';
import type { WorkerMessage } from './protocol';

/**
 * The part of DedicatedWorkerGlobalScope used here. The project's tsconfig has the DOM lib (the
 * UI's), which conflicts with the WebWorker lib, so `self` is cast to this local shape.
 */
interface DedicatedWorkerScope {
  postMessage(message: WorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}

const scope = self as unknown as DedicatedWorkerScope;

const broker = createBroker();
const host = createHost(broker, { post: (message) => scope.postMessage(message) });

scope.addEventListener('message', (event) => {
  void host.handle(event.data);
});
