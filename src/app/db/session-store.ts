import type { Me } from '#shared/schemas/auth.ts';
import { parseMe } from '#shared/schemas/wire-guards.ts';
import { deviceDb } from './device-db.ts';

const ME_KEY = 'me';
/** Renewed before another user signs in on this phone (device-owner.ts deviceIdForSignIn). */
const DEVICE_ID_KEY = 'deviceId';

/** The signed-in user as last confirmed by the server, so the app opens offline. */
export async function loadCachedMe(): Promise<Me | null> {
  const row = await deviceDb.meta.get(ME_KEY);
  try {
    return parseMe(row?.value);
  } catch {
    // Nothing cached, or a copy from an older app version: sign in again.
    return null;
  }
}

export async function saveCachedMe(me: Me): Promise<void> {
  await deviceDb.meta.put({ key: ME_KEY, value: me });
}

/** Forget who is signed in. Only this one record: forms and outbox stay on the device. */
export async function clearCachedMe(): Promise<void> {
  await deviceDb.meta.delete(ME_KEY);
}

/**
 * A new device id, for when the server says this one is bound to another
 * user (a phone passed on before the app changed ids at handover): the
 * outbox keeps its entries and sends them again under the new id.
 */
export async function renewDeviceId(): Promise<string> {
  const id = crypto.randomUUID();
  await deviceDb.meta.put({ key: DEVICE_ID_KEY, value: id });
  return id;
}

/** A stable id for this installation and user, made once and kept (sessions and sync are per device). */
export async function getDeviceId(): Promise<string> {
  return deviceDb.transaction('rw', deviceDb.meta, async () => {
    const row = await deviceDb.meta.get(DEVICE_ID_KEY);
    if (typeof row?.value === 'string') return row.value;
    const id = crypto.randomUUID();
    await deviceDb.meta.put({ key: DEVICE_ID_KEY, value: id });
    return id;
  });
}
