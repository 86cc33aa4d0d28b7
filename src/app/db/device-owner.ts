/**
 * Whose area this device holds (domain.md §8: a field device holds no more
 * than its own area's data). Phones get passed on: when another user signs
 * in, or the user's area changes, the previous area's roster, ledger and
 * forms are removed before the new area downloads; but never while the
 * device still holds work the server does not have (a draft, a submitted
 * form not yet accepted, one that needs attention): then the other user is
 * refused until the owner has synced. Another user gets a new device id: the
 * server binds a device id to the user who first synced under it, and refuses
 * anyone else's push under it. The mutation counter stays: it only grows.
 */
import type { Me } from '#shared/schemas/auth.ts';
import { deviceDb, type LocalFormState } from './device-db.ts';
import { AREA_META_KEYS } from './meta-keys.ts';
import { getDeviceId, renewDeviceId } from './session-store.ts';

const OWNER_KEY = 'owner';
/** session-store.ts keeps the device id under this key; a wipe removes it with the rest. */
const DEVICE_ID_KEY_FOR_WIPE = 'deviceId';
/** Forms whose latest content only this device has. */
const UNFINISHED: LocalFormState[] = ['draft', 'ready', 'attention'];

export interface DeviceOwner {
  userId: string;
  username: string;
  displayName: string;
  areaPrefix: string;
}

function isOwner(v: unknown): v is DeviceOwner {
  const o = v as Partial<DeviceOwner> | null;
  return typeof o?.userId === 'string' && typeof o.username === 'string' && typeof o.displayName === 'string' && typeof o.areaPrefix === 'string';
}

export async function loadDeviceOwner(): Promise<DeviceOwner | null> {
  const row = await deviceDb.meta.get(OWNER_KEY);
  return isOwner(row?.value) ? row.value : null;
}

/**
 * Forms and outbox entries the server does not have yet. A draft that was
 * only opened (pre-filled from the roster, never edited) holds nothing of
 * anyone's: it does not count.
 */
export async function unfinishedWork(): Promise<number> {
  return deviceDb.transaction('r', deviceDb.forms, deviceDb.outbox, deviceDb.ledgerOutbox, async () => {
    const forms = await deviceDb.forms
      .where('state')
      .anyOf(UNFINISHED)
      .filter((f) => !(f.state === 'draft' && f.pristine === true))
      .count();
    const entries = await deviceDb.outbox.count();
    // Ledger steps not sent yet are unfinished work too (refused ones are only notes).
    const ledgerSteps = await deviceDb.ledgerOutbox.where('status').equals('pending').count();
    return Math.max(forms, entries) + ledgerSteps;
  });
}

export type Handover = { ok: true } | { ok: false; owner: DeviceOwner; unfinished: number };

/**
 * Before `username` signs in: refused when the device holds another user's
 * unfinished work. Compared by name because the server has not answered yet;
 * `adoptDevice` checks again by id once it has.
 */
export async function canHandOverTo(username: string): Promise<Handover> {
  const owner = await loadDeviceOwner();
  if (!owner || owner.username === username) return { ok: true };
  const unfinished = await unfinishedWork();
  return unfinished === 0 ? { ok: true } : { ok: false, owner, unfinished };
}

/**
 * The device id to sign in with. Another user's phone gets a new one before
 * the sign-in, so the session and every later push carry the same id (the
 * server binds an id to the user who first synced under it). The same user,
 * or a phone nobody has signed in on: the id it has.
 */
export async function deviceIdForSignIn(username: string): Promise<string> {
  const owner = await loadDeviceOwner();
  return owner && owner.username !== username ? renewDeviceId() : getDeviceId();
}

/** The device still holds another user's (or area's) unfinished work. */
export class DeviceHandoverError extends Error {
  constructor(
    readonly owner: DeviceOwner,
    readonly unfinished: number,
  ) {
    super(`device holds ${unfinished} unfinished records of ${owner.username}`);
    this.name = 'DeviceHandoverError';
  }
}

/**
 * Makes `me` the device's owner. Another user or another area: the previous
 * area's data goes first, in one transaction with the check that nothing
 * unfinished is left (DeviceHandoverError otherwise, and nothing changes).
 * A device with data but no owner recorded (an older app version) is treated
 * the same way.
 */
export async function adoptDevice(me: Me): Promise<'kept' | 'cleared'> {
  const tables = [deviceDb.meta, deviceDb.items, deviceDb.households, deviceDb.persons, deviceDb.accounts, deviceDb.paymentLines, deviceDb.householdLines, deviceDb.forms, deviceDb.outbox, deviceDb.blobs, deviceDb.ledgerTasks, deviceDb.ledgerOutbox];
  return deviceDb.transaction('rw', tables, async () => {
    const owner = await loadDeviceOwner();
    const next: DeviceOwner = { userId: me.id, username: me.username, displayName: me.displayName, areaPrefix: me.area.prefix };
    if (owner && owner.userId === next.userId && owner.areaPrefix === next.areaPrefix) {
      if (owner.username !== next.username || owner.displayName !== next.displayName) await deviceDb.meta.put({ key: OWNER_KEY, value: next });
      return 'kept';
    }
    const unfinished = await unfinishedWork();
    // The owner's area changed: their unfinished work syncs first (the owner record keeps the old
    // area, so a later sign-in or start clears it once nothing is left).
    if (owner && owner.userId === next.userId && unfinished > 0) return 'kept';
    if (unfinished > 0) {
      // Another user's work must not be lost. An owner-less device (older version) with unfinished
      // work: it can only be this user's, as the app allowed one user at a time: keep it.
      if (owner) throw new DeviceHandoverError(owner, unfinished);
      await deviceDb.meta.put({ key: OWNER_KEY, value: next });
      return 'kept';
    }
    for (const table of tables) if (table !== deviceDb.meta) await table.clear();
    await deviceDb.meta.bulkDelete(AREA_META_KEYS);
    await deviceDb.meta.put({ key: OWNER_KEY, value: next });
    return 'cleared';
  });
}

/** What a wipe took with it: the device's id (to report under) and the unsent work lost. */
export interface WipeReport {
  deviceId: string | null;
  lostForms: number;
  lostMutations: number;
}

/**
 * A revoked phone, or a disabled user's (the server says so on the next
 * request): every record of the area goes, unsent work included, in one
 * transaction, with the owner, the cached user and the device id (a later
 * sign-in starts as a new device). The mutation counter stays. Counts what
 * was unsent, so the supervisor's device list can say what was lost.
 */
export async function wipeDevice(): Promise<WipeReport> {
  const tables = [deviceDb.meta, deviceDb.items, deviceDb.households, deviceDb.persons, deviceDb.accounts, deviceDb.paymentLines, deviceDb.householdLines, deviceDb.forms, deviceDb.outbox, deviceDb.blobs, deviceDb.ledgerTasks, deviceDb.ledgerOutbox];
  return deviceDb.transaction('rw', tables, async () => {
    const lostForms = await deviceDb.forms
      .where('state')
      .anyOf(UNFINISHED)
      .filter((f) => !(f.state === 'draft' && f.pristine === true))
      .count();
    const lostMutations = (await deviceDb.outbox.count()) + (await deviceDb.ledgerOutbox.where('status').equals('pending').count());
    const id = await deviceDb.meta.get(DEVICE_ID_KEY_FOR_WIPE);
    for (const table of tables) if (table !== deviceDb.meta) await table.clear();
    await deviceDb.meta.bulkDelete([...AREA_META_KEYS, OWNER_KEY, 'me', DEVICE_ID_KEY_FOR_WIPE]);
    return { deviceId: typeof id?.value === 'string' ? id.value : null, lostForms, lostMutations };
  });
}
