/**
 * The single-file build lays out on the page's thread (`layout-client.ts` falls back to it when
 * no worker starts): one file has no second script to start a worker from, and the layout is a
 * gesture of its own, not a stream the page must keep up with.
 */
export function spawnLayoutWorker(): Worker {
  throw new Error('the single-file build runs the layout on the page');
}
