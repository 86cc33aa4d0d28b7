/**
 * Full numbers stay on the server (issue 12, item 3). A citizen ID or a bank
 * account number never travels to a device: sync, forms, their history and
 * the logs carry a surrogate key instead, and screens get a masked number.
 *
 * A key is a keyed hash of the full number under a secret the database made
 * for itself (migration 0011): the same person has the same key on every
 * pull, in every area and after every re-import, without a mapping table to
 * keep in step with imports; and it cannot be reversed (an 18-digit ID has
 * too little entropy for a plain hash) by anyone without the secret. The
 * server finds the full number again by recomputing keys over the rows a
 * question is about (a household, an area).
 *
 * Every key is computed in exactly two places that must agree: here in
 * JavaScript and in SQL (db/privacy-sql.ts: pull builds its pages in the
 * database); a test holds them equal. The masks are likewise the shared
 * `mask.ts` restated in SQL.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import type { Db } from '#server/db/client.ts';
import { readPersonKeySecret } from '#server/db/secrets-repository.ts';

export interface PrivacyKeys {
  /** The secret of keyed hashes (text, never logged or sent). */
  readonly secret: string;
  /** AES-256-GCM key of the pull cursor (it holds stream positions, which are full numbers). */
  readonly cursorKey: Buffer;
  /** HMAC key the cursor's nonce is derived with (see sealCursor). */
  readonly cursorNonceKey: Buffer;
}

/** The keys made from a secret. */
export function cursorKeysOf(secret: string): PrivacyKeys {
  return { secret, cursorKey: createHash('sha256').update(`${secret}|cursor`).digest(), cursorNonceKey: createHash('sha256').update(`${secret}|cursor-nonce`).digest() };
}

const cache = new WeakMap<object, Promise<PrivacyKeys>>();

/** The database's keys, read once per database object. */
export function privacyKeys(db: Db): Promise<PrivacyKeys> {
  let keys = cache.get(db);
  if (keys === undefined) {
    keys = (async () => {
      const secret = await readPersonKeySecret(db);
      if (secret === undefined || secret.length < 32) throw new Error('server_secrets: person-key missing (migration 0011 not applied?)');
      return cursorKeysOf(secret);
    })();
    cache.set(db, keys);
    keys.catch(() => cache.delete(db));
  }
  return keys;
}

/** Length of a key's hash part: 11 base64url characters, 66 bits. */
export const HASH_CHARS = 11;

function keyOf(prefix: 'p' | 'a', secret: string, text: string): string {
  return prefix + createHash('sha256').update(`${secret}|${prefix}|${text}`, 'utf8').digest('base64url').slice(0, HASH_CHARS);
}

/** A person's key ('p' + 11 characters) from the 18-character citizen ID. */
export function personKey(keys: PrivacyKeys, citizenId: string): string {
  return keyOf('p', keys.secret, citizenId);
}

/** An account's key ('a' + 11 characters) from its number and bank. */
export function accountKey(keys: PrivacyKeys, number: string, bankName: string): string {
  return keyOf('a', keys.secret, `${number}|${bankName}`);
}

// ---------------------------------------------------------------------------
// The pull cursor: its stream positions are (xid, key) pairs whose keys are
// citizen IDs and account numbers, so it travels encrypted.

/**
 * Sealed: 12-byte nonce, ciphertext, 16-byte tag, base64url. The nonce is an
 * HMAC of the plain text (a synthetic IV): the same positions seal to the same
 * cursor, so a device and a test can compare cursors, and a nonce is only ever
 * reused with the same plain text, which GCM tolerates (it shows equality only).
 */
export function sealCursor(keys: PrivacyKeys, plain: string): string {
  const iv = createHmac('sha256', keys.cursorNonceKey).update(plain, 'utf8').digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', keys.cursorKey, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The plain text of a sealed cursor, or null when it was not sealed by this database's key. */
export function openCursor(keys: PrivacyKeys, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16 + 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.cursorKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const NATURAL_LINE_ID_RE = /^([^:]+):([0-9]{17}[0-9X]):([^:]+):([1-9][0-9]*)$/;

/** A payment line id as a device knows it: the citizen ID of a natural id (`item:id:period:seq`) replaced by the person's key. */
export function wireLineId(keys: PrivacyKeys, lineId: string): string {
  const m = NATURAL_LINE_ID_RE.exec(lineId);
  return m ? `${m[1]}:${personKey(keys, m[2] ?? '')}:${m[3]}:${m[4]}` : lineId;
}
