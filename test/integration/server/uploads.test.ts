import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await buildTestApp();
  cookie = await signIn(t.app, 'cadre');
});
afterAll(async () => {
  await t.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function start(sha256: string, size: number) {
  return t.app.inject({ method: 'POST', url: '/api/uploads', headers: { cookie }, payload: { sha256, size, contentType: 'image/jpeg' } });
}
function chunk(sha256: string, offset: number, bytes: Buffer) {
  return t.app.inject({
    method: 'PATCH',
    url: `/api/uploads/${sha256}`,
    headers: { cookie, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
    payload: bytes,
  });
}

describe('resumable attachment upload', () => {
  it('resumes from the offset the server holds after a dropped connection', async () => {
    const photo = randomBytes(700 * 1024);
    const h = sha(photo);
    expect((await start(h, photo.length)).json()).toMatchObject({ offset: 0, complete: false });
    expect((await chunk(h, 0, photo.subarray(0, 256 * 1024))).json()).toMatchObject({ offset: 256 * 1024 });
    // The device lost its state: it asks again where to continue.
    const resumed = (await start(h, photo.length)).json<{ offset: number }>();
    expect(resumed.offset).toBe(256 * 1024);
    // A chunk at the wrong offset is refused with the right one.
    const wrong = await chunk(h, 0, photo.subarray(0, 1024));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json<{ error: { code: string } }>().error.code).toBe('offset_mismatch');
    expect((await chunk(h, resumed.offset, photo.subarray(resumed.offset, 512 * 1024))).json()).toMatchObject({ offset: 512 * 1024 });
    const last = await chunk(h, 512 * 1024, photo.subarray(512 * 1024));
    expect(last.json()).toMatchObject({ offset: photo.length, complete: true });
    const get = await t.app.inject({ method: 'GET', url: `/api/blobs/${h}`, headers: { cookie } });
    expect(get.statusCode).toBe(200);
    expect(Buffer.compare(get.rawPayload, photo)).toBe(0);
    // Already there: a new start says complete at once.
    expect((await start(h, photo.length)).json()).toMatchObject({ complete: true, offset: photo.length });
  });

  it('discards an upload whose bytes do not match the hash (a truncated or corrupted chunk)', async () => {
    const photo = randomBytes(300 * 1024);
    const h = sha(photo);
    await start(h, photo.length);
    const corrupted = Buffer.from(photo);
    corrupted[1000] = (corrupted[1000]! + 1) % 256;
    expect((await chunk(h, 0, corrupted.subarray(0, 200 * 1024))).statusCode).toBe(200);
    const bad = await chunk(h, 200 * 1024, corrupted.subarray(200 * 1024));
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('hash_mismatch');
    expect((await t.app.inject({ method: 'GET', url: `/api/blobs/${h}`, headers: { cookie } })).statusCode).toBe(404);
    // Starting over works from zero.
    expect((await start(h, photo.length)).json()).toMatchObject({ offset: 0 });
    expect((await chunk(h, 0, photo)).json()).toMatchObject({ complete: true });
  });

  it('refuses a 50 MB attachment up front', async () => {
    const res = await start('c'.repeat(64), 50 * 1024 * 1024);
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('附件过大');
  });

  it('refuses a chunk longer than the declared size', async () => {
    const photo = randomBytes(1000);
    const h = sha(photo);
    await start(h, 500);
    const res = await chunk(h, 0, photo);
    expect(res.statusCode).toBe(400);
  });
});
