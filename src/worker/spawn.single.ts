/**
 * The single-file build's broker worker: its code is inlined in the page and started from a
 * blob, since a page opened from disk (`file://`) may not load a worker from a file.
 */
import BrokerWorker from './entry.ts?worker&inline';

export function spawnBrokerWorker(): Worker {
  return new BrokerWorker({ name: 'broker' });
}
