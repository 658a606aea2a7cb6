/** How the exchanges panel names, orders and describes exchanges (the management UI's way). */

import type { ExchangeInfo } from '../worker/protocol';

/** The management UI shows the nameless default exchange as "(AMQP default)". */
export const DEFAULT_EXCHANGE_LABEL = '(AMQP default)';

export function exchangeLabel(name: string): string {
  return name === '' ? DEFAULT_EXCHANGE_LABEL : name;
}

/** The exchanges of one vhost, by name (so the default exchange, named '', comes first). */
export function exchangesOf(exchanges: readonly ExchangeInfo[], vhost: string): ExchangeInfo[] {
  return exchanges
    .filter((exchange) => exchange.vhost === vhost)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface Feature {
  /** Short tag as the management UI shows it. */
  abbr: string;
  label: string;
  description: string;
}

/** The flags worth showing, in the management UI's order. */
export function exchangeFeatures(exchange: ExchangeInfo): Feature[] {
  const features: Feature[] = [];
  if (exchange.durable) {
    features.push({ abbr: 'D', label: 'durable', description: 'Durable: survives a broker restart' });
  }
  if (exchange.auto_delete) {
    features.push({
      abbr: 'AD',
      label: 'auto-delete',
      description: 'Auto-delete: deleted when its last binding is removed',
    });
  }
  if (exchange.internal) {
    features.push({
      abbr: 'I',
      label: 'internal',
      description: 'Internal: clients cannot publish to it directly, only other exchanges can',
    });
  }
  return features;
}

/** The exchange types the broker knows; anything else (a plugin type) gets the neutral style. */
export function typeTone(type: string): 'direct' | 'fanout' | 'topic' | 'headers' | 'other' {
  return type === 'direct' || type === 'fanout' || type === 'topic' || type === 'headers' ? type : 'other';
}
