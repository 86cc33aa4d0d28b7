/**
 * Three-way merge of check-form bodies, for two devices editing the same
 * household (architecture.md, sync principle 4). Deterministic and pure.
 *
 * - A field changed on one side only takes that side's value.
 * - A field changed on both sides to different values is a conflict: the
 *   merged body keeps the server's value ("theirs"), and the conflict keeps
 *   both values side by side for a supervisor to resolve. Nothing is lost.
 * - Collections are merged entry by entry by their key (members by personId,
 *   items by personId+itemCode, accounts by accountCheckKey, problems by key),
 *   so two cadres answering different members never collide.
 *
 * Paths name entries by key, e.g. `members[pK3x9…].present` or
 * `items[pK3x9…|MZ01].amountReceivedFen`, so a resolution
 * addresses the same field whatever the order of the arrays.
 */
import { accountCheckKey, type AccountCheck, type CheckFormBody } from '../schemas/check-form.ts';

export interface FieldConflict {
  path: string;
  /** The incoming (device) value. */
  mine: unknown;
  /** The server's value, which the merged body keeps until someone resolves the conflict. */
  theirs: unknown;
}

type Json = unknown;

const KEYED_ARRAYS: Record<string, (entry: Record<string, unknown>) => string> = {
  members: (e) => String(e.personId),
  items: (e) => `${String(e.personId)}|${String(e.itemCode)}`,
  accounts: (e) => accountCheckKey(e as unknown as AccountCheck),
  problems: (e) => String(e.key),
};

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Marks a key or entry missing on one side (distinct from a null answer). */
const ABSENT = Symbol('absent');
type Maybe = unknown;

function mergeValue(path: string, base: Maybe, theirs: Maybe, mine: Maybe, conflicts: FieldConflict[]): Maybe {
  if (deepEqual(mine, base)) return theirs;
  if (deepEqual(theirs, base)) return mine;
  if (deepEqual(mine, theirs)) return mine;
  const keyOf = KEYED_ARRAYS[path];
  if (keyOf && Array.isArray(theirs) && Array.isArray(mine)) {
    return mergeKeyed(path, keyOf, Array.isArray(base) ? base : [], theirs, mine, conflicts);
  }
  if (isPlainObject(theirs) && isPlainObject(mine)) {
    const b = isPlainObject(base) ? base : {};
    const out: Record<string, Json> = {};
    const keys = [...Object.keys(theirs), ...Object.keys(mine).filter((k) => !(k in theirs))];
    for (const k of keys) {
      const sub = path === '' ? k : `${path}.${k}`;
      const v = mergeValue(sub, k in b ? b[k] : ABSENT, k in theirs ? theirs[k] : ABSENT, k in mine ? mine[k] : ABSENT, conflicts);
      if (v !== ABSENT) out[k] = v;
    }
    return out;
  }
  conflicts.push({ path, mine: mine === ABSENT ? null : mine, theirs: theirs === ABSENT ? null : theirs });
  return theirs;
}

function mergeKeyed(
  path: string,
  keyOf: (e: Record<string, unknown>) => string,
  base: Json[],
  theirs: Json[],
  mine: Json[],
  conflicts: FieldConflict[],
): Json[] {
  const index = (arr: Json[]) => new Map(arr.filter(isPlainObject).map((e) => [keyOf(e), e] as const));
  const b = index(base);
  const t = index(theirs);
  const m = index(mine);
  // Server order first, then entries only this device added, in its order.
  const keys = [...t.keys(), ...[...m.keys()].filter((k) => !t.has(k))];
  const out: Json[] = [];
  for (const key of keys) {
    const v = mergeValue(`${path}[${key}]`, b.has(key) ? b.get(key) : ABSENT, t.has(key) ? t.get(key) : ABSENT, m.has(key) ? m.get(key) : ABSENT, conflicts);
    if (v !== ABSENT) out.push(v);
  }
  return out;
}

export function mergeFormBodies(base: CheckFormBody, theirs: CheckFormBody, mine: CheckFormBody): { merged: CheckFormBody; conflicts: FieldConflict[] } {
  const conflicts: FieldConflict[] = [];
  const merged = mergeValue('', base, theirs, mine, conflicts) as CheckFormBody;
  return { merged, conflicts };
}

/** Splits `members[4213…].present` into ['members', {key: '4213…'}, 'present']. */
function parsePath(path: string): (string | { key: string })[] {
  const parts: (string | { key: string })[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push({ key: m[2] });
  }
  return parts;
}

/**
 * Sets the value at a merge path (the supervisor's resolution). Returns a new
 * body; throws when the path does not exist, so a stale resolution cannot
 * write somewhere unexpected.
 */
export function setAtPath(body: CheckFormBody, path: string, value: unknown): CheckFormBody {
  const root = structuredClone(body) as unknown as Record<string, Json>;
  const parts = parsePath(path);
  if (parts.length === 0) throw new Error(`empty path`);
  let node: Json = root;
  let arrayName = '';
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (typeof part === 'string') {
      if (!isPlainObject(node) || !(part in node)) throw new Error(`no field ${part} in ${path}`);
      if (last) {
        node[part] = value;
        return root as unknown as CheckFormBody;
      }
      arrayName = part;
      node = node[part];
    } else {
      const keyOf = KEYED_ARRAYS[arrayName];
      if (!keyOf || !Array.isArray(node)) throw new Error(`not a keyed collection at ${path}`);
      const idx = node.findIndex((e) => isPlainObject(e) && keyOf(e) === part.key);
      if (idx < 0) throw new Error(`no entry ${part.key} in ${arrayName}`);
      if (last) {
        node[idx] = value;
        return root as unknown as CheckFormBody;
      }
      node = node[idx];
    }
  }
  return root as unknown as CheckFormBody;
}
