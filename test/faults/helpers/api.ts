/** HTTP to the server process from the test (a supervisor, an admin, a replaying attacker). */
import * as z from 'zod/mini';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '#shared/schemas/sync.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { FieldConflict } from '#shared/domain/form-merge.ts';
import { DEMO_PASSWORD, type ServerProcess } from '#test/helpers/server-process.ts';

export class Api {
  private constructor(
    readonly server: ServerProcess,
    readonly cookie: string,
  ) {}

  /** Requests with an existing session (e.g. a device's cookie, to replay exactly what it sent). */
  static withCookie(server: ServerProcess, cookie: string): Api {
    return new Api(server, cookie);
  }

  static async signIn(server: ServerProcess, username: string): Promise<Api> {
    const res = await fetch(`${server.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ykt_sid='));
    if (!cookie) throw new Error('no session cookie');
    return new Api(server, cookie.split(';')[0]!);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.server.baseUrl}/api${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  }

  async ledger(devices: string[], forms: string[] = []): Promise<Ledger> {
    const r = await this.request('POST', '/faults/ledger', { devices, forms });
    if (r.status !== 200) throw new Error(`ledger: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as Ledger;
  }

  /** A raw push (the JSON text exactly as a device sent it, or an object). */
  async push(body: unknown) {
    const r = await this.request('POST', '/sync/push', body);
    return { status: r.status, results: r.status === 200 ? z.parse(PushResponseSchema, r.json).results : [] };
  }

  async pullPages(cursor: string | null, until?: string): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (;;) {
      const r = await this.request('GET', `/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (r.status !== 200) throw new Error(`pull: ${r.status} ${JSON.stringify(r.json)}`);
      const page = z.parse(PullResponseSchema, r.json);
      pages.push(page);
      cursor = page.cursor;
      if (!page.hasMore || page.cursor === until) return pages;
    }
  }

  async formDetail(id: string) {
    const r = await this.request('GET', `/forms/${id}`);
    if (r.status !== 200) throw new Error(`form ${id}: ${r.status}`);
    return r.json as { form: { rev: number; conflictCount: number }; body: CheckFormBody; conflicts: FieldConflict[] };
  }
}

export interface Ledger {
  mutations: { id: string; deviceId: string; counter: number; status: string; clientTime: string | null }[];
  forms: { id: string; deviceId: string; rev: number; body: CheckFormBody; reviewStatus: string; conflicts: FieldConflict[] }[];
  versions: { formId: string; rev: number; mutationId: string | null; deviceId: string | null }[];
  totals: { forms: number; versions: number; mutations: number };
}
