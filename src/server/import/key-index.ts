/**
 * Which row of the file first used a natural key, to report "same ID as row
 * 12" for duplicates within one file.
 *
 * A county's payment file has half a million lines; a Map of their string
 * keys costs about 70 bytes a line and grows with the file. This index keeps
 * a 64-bit hash of each key and its row number in typed arrays (about 24
 * bytes a key at the load factor used), so memory grows an order of
 * magnitude slower. Two different keys share a 64-bit hash with probability
 * about n²/2⁶⁵ (10⁻⁸ for a million keys); such a pair would be reported as
 * a duplicate, never silently merged.
 */
export class KeyRowIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Row number + 1; 0 marks an empty slot. */
  private rows: Uint32Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
  }

  get size(): number {
    return this.used;
  }

  /** Records `key` at `row` unless already present; returns the earlier row of a duplicate, else undefined. */
  addOrGet(key: string, row: number): number | undefined {
    const [h1, h2] = hash64(key);
    const found = this.find(h1, h2);
    if (found !== undefined) return found;
    if ((this.used + 1) * 2 > this.rows.length) this.grow();
    this.insert(h1, h2, row);
    this.used++;
    return undefined;
  }

  private find(h1: number, h2: number): number | undefined {
    const mask = this.rows.length - 1;
    for (let i = h2 & mask; ; i = (i + 1) & mask) {
      const r = this.rows[i] ?? 0;
      if (r === 0) return undefined;
      if (this.hi[i] === h1 && this.lo[i] === h2) return r - 1;
    }
  }

  private insert(h1: number, h2: number, row: number): void {
    const mask = this.rows.length - 1;
    let i = h2 & mask;
    while ((this.rows[i] ?? 0) !== 0) i = (i + 1) & mask;
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.rows[i] = row + 1;
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    const cap = rows.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] ?? 0;
      if (r !== 0) this.insert(hi[i] ?? 0, lo[i] ?? 0, r - 1);
    }
  }
}

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units (different offset bases and a final mix). */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix(a) >>> 0, fmix(b ^ 0x9e3779b9) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
