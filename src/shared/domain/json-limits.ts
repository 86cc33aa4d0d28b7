/**
 * Limits on untrusted JSON, checked before anything else looks at it: how
 * deep it nests, how many values it holds, how long its strings are, and
 * whether PostgreSQL can store its text (no U+0000, no unpaired surrogate, in
 * keys or strings; jsonb and text refuse both). One walk, iterative: input
 * nesting 10,000 deep must not overflow the stack of the code that guards
 * against it.
 */

export interface JsonLimits {
  /** Nesting of arrays and objects; the value itself is depth 0. */
  maxDepth: number;
  /** Values in all (each array element, object member and the root count once). */
  maxNodes: number;
  /** Characters in one string or key. */
  maxStringLength: number;
  /** Check strings and keys for U+0000 and unpaired surrogates (skip when the text is known clean). */
  checkText?: boolean;
}

export type JsonLimitReason = 'depth' | 'nodes' | 'string' | 'nul' | 'surrogate';

export interface JsonLimitProblem {
  reason: JsonLimitReason;
  /** Where, as dotted segments from the root (at most MAX_PATH_SEGMENTS of them, then `…`). */
  path: string[];
  /** In Chinese, for the answer. */
  message: string;
}

const MAX_PATH_SEGMENTS = 8;

const MESSAGES: Record<JsonLimitReason, (l: JsonLimits) => string> = {
  depth: (l) => `嵌套层级过深（上限 ${l.maxDepth} 层）`,
  nodes: (l) => `内容过多（上限 ${l.maxNodes} 个值）`,
  string: (l) => `文字过长（上限 ${l.maxStringLength} 个字符）`,
  nul: () => '含有无法保存的控制字符 U+0000',
  surrogate: () => '含有无效的 Unicode 字符（不成对的代理项）',
};

interface Frame {
  value: unknown;
  key: string;
  parent: Frame | null;
  depth: number;
}

function pathOf(frame: Frame | null, key?: string): string[] {
  const out: string[] = key === undefined ? [] : [key];
  for (let f = frame; f !== null && f.parent !== null; f = f.parent) out.push(f.key);
  out.reverse();
  return out.length > MAX_PATH_SEGMENTS ? [...out.slice(0, MAX_PATH_SEGMENTS), '…'] : out;
}

function textProblem(s: string, limits: JsonLimits): JsonLimitReason | null {
  if (s.length > limits.maxStringLength) return 'string';
  if (limits.checkText === false) return null;
  if (s.includes('\u0000')) return 'nul';
  // isWellFormed: native, several times faster than a regex over every string.
  if (!s.isWellFormed()) return 'surrogate';
  return null;
}

/**
 * The first limit `value` breaks, or null. `skip(path)` leaves a subtree out
 * (it is checked elsewhere, e.g. each mutation of a push on its own).
 *
 * Every push walks every mutation, so the common case allocates nothing per
 * value (two flat stacks); only when a limit is broken is the walk repeated
 * keeping each value's path, to name the field.
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits, skip?: (parentPath: readonly string[], key: string) => boolean): JsonLimitProblem | null {
  if (skip !== undefined) return locateProblem(value, limits, skip);
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let nodes = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop() ?? 0;
    nodes++;
    if (nodes > limits.maxNodes) return locateProblem(value, limits);
    if (typeof v === 'string') {
      if (textProblem(v, limits) !== null) return locateProblem(value, limits);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limits.maxDepth) return locateProblem(value, limits);
    if (Array.isArray(v)) {
      if (nodes + values.length + v.length > limits.maxNodes) return locateProblem(value, limits);
      for (let i = v.length - 1; i >= 0; i--) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const key in o) {
      if (textProblem(key, limits) !== null) return locateProblem(value, limits);
      values.push(o[key]);
      depths.push(depth + 1);
    }
    if (nodes + values.length > limits.maxNodes) return locateProblem(value, limits);
  }
  return null;
}

/** The walk again, keeping where each value is: only run once a problem is known to exist, to name it. */
function locateProblem(value: unknown, limits: JsonLimits, skip?: (parentPath: readonly string[], key: string) => boolean): JsonLimitProblem | null {
  const problem = (reason: JsonLimitReason, path: string[]): JsonLimitProblem => ({ reason, path, message: MESSAGES[reason](limits) });
  const stack: Frame[] = [{ value, key: '', parent: null, depth: 0 }];
  let nodes = 0;
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    nodes++;
    if (nodes > limits.maxNodes) return problem('nodes', pathOf(frame));
    const v = frame.value;
    if (typeof v === 'string') {
      const r = textProblem(v, limits);
      if (r !== null) return problem(r, pathOf(frame));
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth >= limits.maxDepth) return problem('depth', pathOf(frame));
    const depth = frame.depth + 1;
    const skipping = skip !== undefined;
    const here = skipping ? pathOf(frame) : [];
    if (Array.isArray(v)) {
      if (nodes + v.length > limits.maxNodes) return problem('nodes', pathOf(frame));
      for (let i = v.length - 1; i >= 0; i--) {
        const key = String(i);
        if (skipping && skip(here, key)) continue;
        stack.push({ value: v[i] as unknown, key, parent: frame, depth });
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const key in o) {
      const r = textProblem(key, limits);
      if (r !== null) return problem(r, pathOf(frame, key));
      if (skipping && skip(here, key)) continue;
      stack.push({ value: o[key], key, parent: frame, depth });
      if (nodes + stack.length > limits.maxNodes) return problem('nodes', pathOf(frame));
    }
  }
  return null;
}

/** One mutation of a push: a check form is a few hundred values, 6 levels deep. */
export const MUTATION_LIMITS: JsonLimits = { maxDepth: 24, maxNodes: 50_000, maxStringLength: 100_000 };
/** Any other JSON body, query or route parameter of the API. */
export const REQUEST_LIMITS: JsonLimits = { maxDepth: 24, maxNodes: 100_000, maxStringLength: 100_000 };

/** Text made storable for a record kept for people to read (an import report): U+0000 shown as ␀, an unpaired surrogate as U+FFFD. */
export function storableText(s: string): string {
  return s.includes('\u0000') || !s.isWellFormed() ? s.replaceAll('\u0000', '\u2400').toWellFormed() : s;
}
