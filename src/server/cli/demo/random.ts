/**
 * A small seeded PRNG for the demo county: sfc32 (Chris Doty-Humphrey's
 * Small Fast Counting generator) seeded through splitmix32.
 *
 * We own these few lines rather than depend on a library on purpose: the
 * demo data, the planted-anomaly manifest and the tests that count findings
 * all rely on "same seed, same county", and a dependency upgrade that
 * changed the sequence would silently change every generated number.
 * Do not change the algorithms here; add a new function instead.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** splitmix32 step: spreads an arbitrary 32-bit input over the whole state. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Mixes any number of integers (a seed and stream ids such as a household
 * index) into one 32-bit value. Order matters: (1, 2) and (2, 1) differ.
 */
export function mix(...parts: readonly number[]): number {
  let h = 0x6a09e667;
  for (const p of parts) {
    // Fold in the high bits too, so seeds above 2^32 are not truncated to
    // the same stream.
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    h = splitmix32(h ^ lo);
    h = splitmix32(h ^ hi);
  }
  return h;
}

/** FNV-1a of a string: a stable 32-bit key for names such as a region code. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator whose whole sequence is determined by `parts` (see mix()). */
export function createRandom(...parts: readonly number[]): Random {
  const s = mix(...parts);
  let a = splitmix32(s);
  let b = splitmix32(a);
  let c = splitmix32(b);
  let d = 1;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 still echo the seed; discard them.
  for (let i = 0; i < 12; i++) nextU32();

  const next = (): number => nextU32() / 0x100000000;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/**
 * Picks from a fixed list with fixed weights in O(log n) per draw (binary
 * search over cumulative weights).
 */
export class WeightedPicker<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('WeightedPicker needs at least one entry');
    this.values = entries.map(([v]) => v);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      if (!(w > 0)) throw new RangeError('weights must be positive');
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  pick(rng: Random): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }
}
