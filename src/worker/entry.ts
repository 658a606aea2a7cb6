/**
 * The broker's Web Worker: creates the simulation (broker core and simulated clients), serves it
 * over the protocol in `protocol.ts`, and drives its clock in real time while it plays. No DOM
 * here; the only runtime import of the broker in the whole app, and the only real timer.
 */

import { createBroker } from '../broker/index';
import { createHost } from './host';
import type { WorkerMessage } from './protocol';
import { Simulation } from './simulation';

/**
 * The part of DedicatedWorkerGlobalScope used here. The project's tsconfig has the DOM lib (the
 * UI's), which conflicts with the WebWorker lib, so `self` is cast to this local shape.
 */
interface DedicatedWorkerScope {
  postMessage(message: WorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}

/** How often the clock moves while playing (real ms). */
const TICK_MS = 1000 / 30;

const scope = self as unknown as DedicatedWorkerScope;

const simulation = new Simulation({ createBroker });
const host = createHost(simulation, { post: (message) => scope.postMessage(message) });

scope.addEventListener('message', (event) => {
  void host.handle(event.data);
});

// The real-time loop: runs only while the simulation plays, handing it the real ms that passed.
let timer: ReturnType<typeof setInterval> | undefined;
let last = 0;

function tick(): void {
  const now = performance.now();
  simulation.tick(now - last);
  last = now;
}

simulation.onStateChange(() => {
  if (simulation.playing && timer === undefined) {
    last = performance.now();
    timer = setInterval(tick, TICK_MS);
  } else if (!simulation.playing && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
});
