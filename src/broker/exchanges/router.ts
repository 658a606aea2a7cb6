/**
 * Per-type routing tables. Each exchange type keeps its bindings in the structure its rule needs:
 * direct: a Map from key to bindings (one lookup per routing key); fanout: every binding;
 * topic: RabbitMQ's trie (cost grows with the key's words, not the bindings); headers: bindings
 * compiled once at bind time and tested in turn (RabbitMQ does the same).
 *
 * `route` is the hot path: it only adds matched bindings to the caller's Set. `explain` is for
 * traces: the verdict and reason for one binding, from the same matchers.
 */

import type { Binding } from '../binding';
import type { FieldTable } from '../field-table';
import { compileHeadersBinding, explainHeaders, matchCompiled, type CompiledHeadersBinding } from '../headers';
import { explainTopic, TopicTrie } from '../topic';
import type { TopicExplanation } from '../topic';
import type { HeadersExplanation } from '../headers';

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers' | 'x-local-random';
/** The types RabbitMQ 4.3.6 knows out of the box (x-local-random is built in since 4.0). */
export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers', 'x-local-random'];

export interface Verdict {
  matched: boolean;
  reason: string;
  topic?: TopicExplanation;
  headers?: HeadersExplanation;
}

export interface Router {
  /** Does this type look at the routing key? (headers and fanout ignore it.) */
  readonly usesRoutingKey: boolean;
  add(binding: Binding): void;
  remove(binding: Binding): void;
  /**
   * Appends the bindings that match to `out`. With several routing keys (CC/BCC) a binding may
   * appear more than once; routing dedupes destinations, which is cheaper than a Set here.
   */
  route(routingKeys: readonly string[], headers: FieldTable | undefined, out: Binding[]): void;
  explain(binding: Binding, routingKey: string, headers: FieldTable | undefined): Verdict;
}

const quote = (s: string) => JSON.stringify(s);

class DirectRouter implements Router {
  readonly usesRoutingKey = true;
  #byKey = new Map<string, Binding[]>();

  add(b: Binding): void {
    const list = this.#byKey.get(b.routingKey);
    if (list) list.push(b);
    else this.#byKey.set(b.routingKey, [b]);
  }

  remove(b: Binding): void {
    const list = this.#byKey.get(b.routingKey);
    if (!list) return;
    const at = list.indexOf(b);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#byKey.delete(b.routingKey);
  }

  route(keys: readonly string[], _headers: FieldTable | undefined, out: Binding[]): void {
    for (const key of keys) {
      const list = this.#byKey.get(key);
      if (list) for (const b of list) out.push(b);
    }
  }

  explain(b: Binding, routingKey: string): Verdict {
    return b.routingKey === routingKey
      ? { matched: true, reason: `binding key ${quote(b.routingKey)} equals the routing key` }
      : { matched: false, reason: `binding key ${quote(b.routingKey)} is not the routing key ${quote(routingKey)}` };
  }
}

class FanoutRouter implements Router {
  readonly usesRoutingKey = false;
  #bindings = new Set<Binding>();

  add(b: Binding): void {
    this.#bindings.add(b);
  }

  remove(b: Binding): void {
    this.#bindings.delete(b);
  }

  route(_keys: readonly string[], _headers: FieldTable | undefined, out: Binding[]): void {
    for (const b of this.#bindings) out.push(b);
  }

  explain(): Verdict {
    return { matched: true, reason: 'a fanout exchange copies every message to every binding' };
  }
}

class TopicRouter implements Router {
  readonly usesRoutingKey = true;
  #trie = new TopicTrie<Binding>();

  add(b: Binding): void {
    this.#trie.add(b.routingKey, b);
  }

  remove(b: Binding): void {
    this.#trie.remove(b.routingKey, b);
  }

  route(keys: readonly string[], _headers: FieldTable | undefined, out: Binding[]): void {
    for (const key of keys) this.#trie.matchInto(key, out);
  }

  explain(b: Binding, routingKey: string): Verdict {
    const topic = explainTopic(b.routingKey, routingKey);
    return { matched: topic.matched, reason: topic.reason, topic };
  }
}

class HeadersRouter implements Router {
  readonly usesRoutingKey = false;
  #compiled = new Map<Binding, CompiledHeadersBinding>();

  add(b: Binding): void {
    this.#compiled.set(b, compileHeadersBinding(b.arguments));
  }

  remove(b: Binding): void {
    this.#compiled.delete(b);
  }

  route(_keys: readonly string[], headers: FieldTable | undefined, out: Binding[]): void {
    for (const [b, compiled] of this.#compiled) if (matchCompiled(compiled, headers)) out.push(b);
  }

  explain(b: Binding, _routingKey: string, headers: FieldTable | undefined): Verdict {
    const explanation = explainHeaders(b.arguments, headers);
    return { matched: explanation.matched, reason: explanation.reason, headers: explanation };
  }
}

/**
 * x-local-random: each message goes to one bound queue picked at random (on one node every queue
 * is local). Keys and headers are ignored. The pick uses the broker's seeded generator, so runs
 * repeat.
 */
class LocalRandomRouter implements Router {
  readonly usesRoutingKey = false;
  #bindings: Binding[] = [];
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  add(b: Binding): void {
    this.#bindings.push(b);
  }

  remove(b: Binding): void {
    const at = this.#bindings.indexOf(b);
    if (at >= 0) this.#bindings.splice(at, 1);
  }

  route(_keys: readonly string[], _headers: FieldTable | undefined, out: Binding[]): void {
    const n = this.#bindings.length;
    if (n > 0) out.push(this.#bindings[Math.floor(this.#random() * n)]!);
  }

  explain(): Verdict {
    return { matched: true, reason: 'x-local-random sends each message to one bound queue, picked at random' };
  }
}

export function createRouter(type: ExchangeType, random: () => number): Router {
  switch (type) {
    case 'direct':
      return new DirectRouter();
    case 'fanout':
      return new FanoutRouter();
    case 'topic':
      return new TopicRouter();
    case 'headers':
      return new HeadersRouter();
    case 'x-local-random':
      return new LocalRandomRouter(random);
  }
}
