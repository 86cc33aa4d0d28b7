import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, HealthSchema } from '#shared/schemas/api.ts';
import { APP_SCHEMA_VERSION, MIN_APP_SCHEMA_VERSION } from '#shared/version.ts';
import { buildTestApp, type TestApp } from '#test/helpers/app.ts';
import { testDbKind } from '#test/helpers/database.ts';

let t: TestApp;
let staticDir: string;
beforeAll(async () => {
  // A stand-in build: the real one is checked by the build and e2e projects.
  staticDir = mkdtempSync(join(tmpdir(), 'ykt-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title><div id="root"></div>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app-abc123.js'), 'console.log(1)');
  t = await buildTestApp({ staticDir, bodyLimit: 64 * 1024 });
});
afterAll(async () => {
  await t.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('health', () => {
  it('reports the database kind and the applied schema version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const h = HealthSchema.parse(res.json());
    expect(h.database).toBe(testDbKind());
    expect(h.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(h.appSchemaVersion).toBe(APP_SCHEMA_VERSION);
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400 and a Chinese message', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "cadre", ',
    });
    expect(res.statusCode).toBe(400);
    expect(ApiErrorSchema.parse(res.json()).error.code).toBe('invalid_json');
  });

  it('answers an oversized body with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'cadre', password: 'x'.repeat(100 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(ApiErrorSchema.parse(res.json()).error.code).toBe('body_too_large');
  });

  it('answers an unknown API route with 404 JSON, never the app shell', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    expect(ApiErrorSchema.parse(res.json()).error.code).toBe('not_found');
  });

  it('asks an app older than the previous wire version, or than the oldest one still readable, to upgrade', async () => {
    const oldest = Math.max(APP_SCHEMA_VERSION - 1, MIN_APP_SCHEMA_VERSION);
    const old = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-app-schema': String(oldest - 1) } });
    expect(old.statusCode).toBe(426);
    expect(ApiErrorSchema.parse(old.json()).error.code).toBe('upgrade_required');
    const prev = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-app-schema': String(oldest) } });
    expect(prev.statusCode).toBe(200);
    // Version 1 stored accounts by their full number, which no longer travels.
    expect((await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-app-schema': '1' } })).statusCode).toBe(426);
  });
});

describe('the app shell', () => {
  it('serves index.html for client routes, revalidated, with a strict CSP', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/households/123', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed assets for a year', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('publishes the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/sign-in', '/api/me', '/api/health']));
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
