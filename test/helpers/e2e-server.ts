import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from './app.ts';

export const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));

/** The real server with the built PWA, listening on a free loopback port. */
export async function startE2eServer(): Promise<TestApp & { baseUrl: string }> {
  const t = await buildTestApp({ staticDir: DIST_DIR });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return { ...t, baseUrl: `http://127.0.0.1:${port}` };
}
