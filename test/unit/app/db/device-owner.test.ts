// The device layer in Node: fake-indexeddb stands in for the browser's IndexedDB (the Chromium suites run the same code for real).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '#shared/schemas/auth.ts';
import { deviceDb, type LocalForm } from '#app/db/device-db.ts';
import { adoptDevice, DeviceHandoverError, deviceIdForSignIn, loadDeviceOwner, unfinishedWork, wipeDevice } from '#app/db/device-owner.ts';
import { getDeviceId } from '#app/db/session-store.ts';
import { localForm } from './local-form.ts';

const village = { code: '421321101200', prefix: '421321101200', name: '星亮村', level: 'village' } as const;
const cadre: Me = { id: '00000000-0000-4000-8000-000000000001', username: 'cadre', displayName: '李村干', role: 'cadre', area: village };
const other: Me = { id: '00000000-0000-4000-8000-000000000002', username: 'cadre2', displayName: '王村干', role: 'cadre', area: village };

const form = (id: string, state: LocalForm['state'], pristine?: true) => localForm(id, state, pristine ? { pristine } : {});

beforeEach(async () => {
  await deviceDb.open();
});

afterEach(async () => {
  await deviceDb.delete();
});

describe('the device id across sign-ins', () => {
  it('is made on a fresh phone and survives the first owner adopting it (the session was made under it)', async () => {
    const id = await deviceIdForSignIn('cadre');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await adoptDevice(cadre)).toBe('cleared');
    expect(await getDeviceId()).toBe(id);
    expect(await loadDeviceOwner()).toMatchObject({ userId: cadre.id, areaPrefix: village.prefix });
  });

  it('stays for the same user, and is new for another user before the sign-in', async () => {
    const first = await deviceIdForSignIn('cadre');
    await adoptDevice(cadre);
    expect(await deviceIdForSignIn('cadre')).toBe(first);
    const second = await deviceIdForSignIn('cadre2');
    expect(second).not.toBe(first);
    await adoptDevice(other);
    expect(await getDeviceId()).toBe(second);
  });
});

describe('handing the phone over', () => {
  it("drops the previous owner's area when nothing is unsent", async () => {
    await adoptDevice(cadre);
    await deviceDb.forms.bulkPut([form('a', 'synced'), form('b', 'draft', true)]);
    expect(await unfinishedWork()).toBe(0);
    expect(await adoptDevice(other)).toBe('cleared');
    expect(await deviceDb.forms.count()).toBe(0);
    expect((await loadDeviceOwner())?.userId).toBe(other.id);
  });

  it('refuses another user while a form of the owner is unsent, and changes nothing', async () => {
    await adoptDevice(cadre);
    await deviceDb.forms.bulkPut([form('a', 'draft'), form('b', 'ready')]);
    expect(await unfinishedWork()).toBe(2);
    await expect(adoptDevice(other)).rejects.toBeInstanceOf(DeviceHandoverError);
    expect(await deviceDb.forms.count()).toBe(2);
    expect((await loadDeviceOwner())?.userId).toBe(cadre.id);
  });

  it('keeps the owner\'s data when the owner signs in again', async () => {
    await adoptDevice(cadre);
    await deviceDb.forms.put(form('a', 'draft'));
    expect(await adoptDevice(cadre)).toBe('kept');
    expect(await deviceDb.forms.count()).toBe(1);
  });
});

describe('a wipe (a revoked phone, a disabled user)', () => {
  it('removes the whole area, unsent work too, and counts what was unsent; a later sign-in is a new device', async () => {
    const id = await deviceIdForSignIn('cadre');
    await adoptDevice(cadre);
    await deviceDb.households.put({ id: 'h1', villageCode: village.code, groupName: '一组', houseNumber: '1', headPersonId: '11010519491231002X' });
    await deviceDb.forms.bulkPut([form('draft', 'draft'), form('opened', 'draft', true), form('ready', 'ready'), form('synced', 'synced')]);
    await deviceDb.outbox.add({ mutationId: 'm1', counter: 7, kind: 'form.put', formId: 'ready', status: 'pending', clientTime: '2026-12-03T10:00:00+08:00', lastResult: null, attempts: 0 });
    await deviceDb.meta.put({ key: 'mutationCounter', value: 7 });

    const report = await wipeDevice();
    expect(report).toEqual({ deviceId: id, lostForms: 2, lostMutations: 1 });
    expect(await deviceDb.forms.count()).toBe(0);
    expect(await deviceDb.outbox.count()).toBe(0);
    expect(await deviceDb.households.count()).toBe(0);
    expect(await loadDeviceOwner()).toBeNull();
    // The counter only grows; the device id is gone, so the next sign-in gets a new one.
    expect((await deviceDb.meta.get('mutationCounter'))?.value).toBe(7);
    expect(await getDeviceId()).not.toBe(id);
  });
});
