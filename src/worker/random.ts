/**
 * Seeded randomness for the simulated clients (which deliveries fail), so a run repeats exactly
 * from the same seed: mulberry32, one stream per client, seeded from the simulation's seed and
 * the client's id, so one client's draws never shift another's.
 */

/** FNV-1a hash of a string, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator of numbers in [0, 1) for `id`, the same sequence for the same seed and id. */
export function seededRandom(seed: number, id: string): () => number {
  let state = (hash(id) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
