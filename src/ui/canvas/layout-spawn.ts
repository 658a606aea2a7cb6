/**
 * Starts the auto-layout worker from its own file. The single-file build swaps this module for
 * `layout-spawn.single.ts`.
 */
export function spawnLayoutWorker(): Worker {
  return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'layout' });
}
