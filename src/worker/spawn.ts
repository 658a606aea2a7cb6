/**
 * Starts the broker worker from its own file (`entry.ts`, emitted beside the page). The
 * single-file build swaps this module for `spawn.single.ts`, which carries the worker inline.
 */
export function spawnBrokerWorker(): Worker {
  return new Worker(new URL('./entry.ts', import.meta.url), { type: 'module', name: 'broker' });
}
