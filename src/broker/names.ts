/**
 * Deterministic names the server makes up: `amq.gen-` queue names (22 URL-safe base64 chars,
 * as rabbit_guid makes them from 16 bytes) and client ports for connection names. A seeded
 * PRNG (mulberry32) keeps runs reproducible.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export class NameSource {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `amq.gen-` + 22 base64url characters (16 random bytes). */
  queueName(): string {
    return this.#guid('amq.gen-');
  }

  /** `amq.ctag-` + 22 base64url characters: a server-chosen consumer tag. */
  consumerTag(): string {
    return this.#guid('amq.ctag-');
  }

  /** The opaque part of a direct reply-to address (`amq.rabbitmq.reply-to.<token>`). */
  replyToken(): string {
    return this.#guid('g1h2AA5yZXBseUA');
  }

  /** rabbit_guid:binary/2: a prefix and 16 random bytes in URL-safe base64 without padding. */
  #guid(prefix: string): string {
    let out = prefix;
    for (let i = 0; i < 22; i++) {
      // The 22nd character of 16 bytes in base64 carries only 2 bits.
      const range = i === 21 ? 4 : 64;
      out += BASE64URL[Math.floor(this.next() * range) * (64 / range)];
    }
    return out;
  }

  /** An ephemeral client port, as a connection name shows it. */
  clientPort(): number {
    return 32768 + Math.floor(this.next() * (60999 - 32768));
  }
}
