/**
 * Tab completion for the console: the word under the cursor (the line's last word) completed
 * from what the console knows (programs, rabbitmqctl commands and info items, rabbitmqadmin
 * verbs and types, API paths) and what the broker holds (queue and exchange names). Answers
 * the candidates and the longest prefix they share. Cost: linear in the names considered.
 */

import type { BrokerSnapshot } from '../inspect';
import { CTL_VOCABULARY } from './rabbitmqctl';

export interface Completion {
  /** The line with its last word completed as far as every candidate agrees. */
  line: string;
  /** Every word that would fit, sorted; one means the line is complete. */
  candidates: string[];
}

const PROGRAMS = ['clear', 'curl', 'help', 'rabbitmqadmin', 'rabbitmqctl'];
const ADMIN_VERBS = ['declare', 'delete', 'get', 'help', 'list', 'publish', 'purge'];
const ADMIN_TYPES: Record<string, string[]> = {
  list: ['bindings', 'channels', 'connections', 'consumers', 'exchanges', 'queues', 'vhosts'],
  declare: ['binding', 'exchange', 'queue'],
  delete: ['binding', 'exchange', 'queue'],
  purge: ['queue'],
};
const API = 'http://localhost:15672/api/';

export function complete(line: string, snapshot: BrokerSnapshot): Completion {
  const words = line.split(/\s+/);
  const last = words.pop() ?? '';
  const before = words.filter((w) => w !== '' && w !== 'sudo');
  const queues = snapshot.queues.filter((q) => q.vhost === '/').map((q) => q.name);
  const exchanges = snapshot.exchanges.filter((x) => x.vhost === '/' && x.name !== '').map((x) => x.name);
  const candidates = [...new Set(pool(before, last, queues, exchanges))].filter((c) => c.startsWith(last)).sort();
  if (candidates.length === 0) return { line, candidates };
  const common = candidates.reduce((prefix, c) => {
    let i = 0;
    while (i < prefix.length && prefix[i] === c[i]) i++;
    return prefix.slice(0, i);
  });
  const done = candidates.length === 1 && !common.endsWith('=') && !common.endsWith('/');
  return { line: line.slice(0, line.length - last.length) + common + (done ? ' ' : ''), candidates };
}

function pool(before: string[], last: string, queues: string[], exchanges: string[]): readonly string[] {
  const [program, first, second] = before.map((w) => w.slice(w.lastIndexOf('/') + 1).replace(/\.py$/, '')).filter((w) => !/^python[\d.]*$/.test(w));
  if (program === undefined) return PROGRAMS;
  switch (program) {
    case 'rabbitmqctl': {
      if (first === undefined) return CTL_VOCABULARY.commands();
      if (first === 'purge_queue' || first === 'delete_queue') return queues;
      if (first === 'help') return CTL_VOCABULARY.commands();
      return CTL_VOCABULARY.items(first);
    }
    case 'rabbitmqadmin': {
      if (first === undefined) return ADMIN_VERBS;
      if (second === undefined && ADMIN_TYPES[first]) return ADMIN_TYPES[first]!;
      const key = last.includes('=') ? last.slice(0, last.indexOf('=') + 1) : '';
      if (key === 'name=') return (second === 'exchange' ? exchanges : queues).map((n) => `name=${n}`);
      if (key === 'queue=') return queues.map((n) => `queue=${n}`);
      if (key === 'exchange=' || key === 'source=') return exchanges.map((n) => `${key}${n}`);
      if (key === 'destination=') return [...queues, ...exchanges].map((n) => `destination=${n}`);
      return [];
    }
    case 'curl': {
      if (!last.startsWith('http')) return [];
      const resources = ['overview', 'queues/%2f/', 'exchanges/%2f/', 'bindings/%2f', 'connections', 'channels', 'consumers', 'vhosts'].map((r) => API + r);
      return [...resources, ...queues.map((q) => `${API}queues/%2f/${encodeURIComponent(q)}`), ...exchanges.map((x) => `${API}exchanges/%2f/${encodeURIComponent(x)}`)];
    }
    default:
      return [];
  }
}
