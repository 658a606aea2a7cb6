/**
 * Message bodies. amqplib hands consumers a Node `Buffer`; in the browser we hand a Uint8Array
 * whose `toString()` decodes UTF-8 the same way, so `msg.content.toString()` from the tutorials
 * works unchanged everywhere.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Uint8Array that prints as UTF-8 text, like a Buffer. */
export class Content extends Uint8Array {
  override toString(encoding?: string): string {
    if (encoding === 'base64') return toBase64(this);
    return decoder.decode(this);
  }
  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: Array.from(this) };
  }
}

interface BufferLike {
  from(data: Uint8Array | string): Uint8Array;
  isBuffer(value: unknown): boolean;
}

/** Node's Buffer when the core runs in Node (so `Buffer.isBuffer(msg.content)` holds there). */
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** Body bytes as the caller gives them: a Buffer/Uint8Array, an ArrayBuffer view, or a string. */
export function toBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return encoder.encode(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('content is not a buffer');
}

/** A copy of the bytes for a consumer: a Buffer in Node, a Content elsewhere. */
export function toContent(bytes: Uint8Array): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(bytes);
  const copy = new Content(bytes.length);
  copy.set(bytes);
  return copy;
}

export function bytesToText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
