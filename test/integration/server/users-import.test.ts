import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { MeSchema } from '#shared/schemas/auth.ts';
import { UserImportReportSchema, UserSchema } from '#shared/schemas/users.ts';
import { hashPassword } from '#server/auth/password.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { buildTestApp, DEMO_PASSWORD, sessionCookie, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * Accounts from a file (issue 12, item 1): a real CSV and a real XLSX, each
 * good row an account with a temporary password, each bad row reported with
 * its row, column and reason, none of them stopping the others.
 */
let t: TestApp;
let admin: string;
let townAdmin: string;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signIn(t.app, 'admin');
  await insertUser(t.database.db, { username: 'town-admin', displayName: '镇管理员', role: 'admin', areaCode: '421321101000', passwordHash: await hashPassword(DEMO_PASSWORD) });
  townAdmin = await signIn(t.app, 'town-admin');
});
afterAll(async () => {
  await t.close();
});

async function upload(cookie: string, body: Buffer | string, contentType: string) {
  return t.app.inject({ method: 'POST', url: '/api/admin/users/import', headers: { cookie, 'content-type': contentType }, payload: body });
}

describe('creating accounts from a file', () => {
  it('creates each good row of a CSV and reports each bad one by row, column and reason', async () => {
    const csv = [
      '\uFEFF厉山镇村干部名单,,,,',
      '用户名,姓名,角色,区划代码,电话',
      'ls-cadre-1,张三,村干部,421321101200,13812345678',
      'ls-cadre-2,李四,村干部,421321101200,',
      ',王五,村干部,421321101200,',
      'ls-cadre-3,赵六,村长,421321101200,',
      'ls-cadre-1,重复,村干部,421321101200,',
      'cadre,已有,村干部,421321101200,',
      'ls-insp-1,钱七,检查组,421321101000,',
      'ls-cadre-4,孙八,村干部,421321101000,',
      ',,,,',
      'far-cadre,周九,村干部,421321102200,',
    ].join('\r\n');
    const res = await upload(townAdmin, csv, 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    const report = z.parse(UserImportReportSchema, res.json());
    expect(report.rows).toBe(9);
    expect(report.created.map((c) => [c.row, c.username, c.role, c.areaCode])).toEqual([
      [3, 'ls-cadre-1', 'cadre', '421321101200'],
      [4, 'ls-cadre-2', 'cadre', '421321101200'],
      [9, 'ls-insp-1', 'inspector', '421321101000'],
    ]);
    expect(report.problems.map((p) => [p.row, p.column])).toEqual([
      [5, '用户名'],
      [6, '角色'],
      [7, '用户名'],
      [8, '用户名'],
      [10, '区划代码'],
      [12, '区划代码'],
    ]);
    expect(report.problems.find((p) => p.row === 6)?.message).toContain('角色“村长”无法识别');
    expect(report.problems.find((p) => p.row === 7)?.message).toBe('与第 3 行的用户名重复');
    expect(report.problems.find((p) => p.row === 8)?.message).toBe('用户名 cadre 已被使用');
    expect(report.problems.find((p) => p.row === 10)?.message).toBe('村干部的工作区域应为村（社区）');
    expect(report.problems.find((p) => p.row === 12)?.message).toBe('该账号或区域不在您的管理范围内');

    // The temporary password signs in, and must be changed first.
    const first = report.created[0]!;
    const signInRes = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: first.username, password: first.temporaryPassword } });
    expect(signInRes.statusCode, signInRes.body).toBe(200);
    const me = z.parse(MeSchema, (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: sessionCookie(signInRes) } })).json());
    expect(me.mustChangePassword).toBe(true);
    // Nothing about the existing account changed.
    const users = z.parse(z.array(UserSchema), (await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin } })).json());
    expect(users.find((u) => u.username === 'cadre')?.displayName).not.toBe('已有');
  });

  it('reads an XLSX the same way, English role words too', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('账号');
    ws.addRow(['用户名', '姓名', '角色', '区划代码']);
    ws.addRow(['xl-sup', '督导甲', 'supervisor', 421321000000]);
    ws.addRow(['xl-cadre', '村干部乙', '村干部', '421321101200']);
    const res = await upload(admin, Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    expect(res.statusCode, res.body).toBe(200);
    const report = z.parse(UserImportReportSchema, res.json());
    expect(report.created.map((c) => [c.row, c.username, c.role])).toEqual([
      [2, 'xl-sup', 'supervisor'],
      [3, 'xl-cadre', 'cadre'],
    ]);
    expect(report.problems).toEqual([]);
  });

  it('refuses a file without the needed columns, naming them, and creates nothing', async () => {
    const res = await upload(admin, '用户名,姓名\r\nno-role,某某\r\n', 'text/csv');
    expect(res.statusCode).toBe(400);
    expect(ApiErrorSchema.parse(res.json()).error.message).toBe('缺少列：角色、区划代码');
    const noHeader = await upload(admin, 'a,b\r\n1,2\r\n', 'text/csv');
    expect(ApiErrorSchema.parse(noHeader.json()).error.message).toContain('找不到表头');
    const broken = await upload(admin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), XLSX);
    expect(broken.statusCode).toBe(400);
    const users = z.parse(z.array(UserSchema), (await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin } })).json());
    expect(users.some((u) => u.username === 'no-role')).toBe(false);
  });

  it('is for admins only', async () => {
    const cadre = await signIn(t.app, 'cadre');
    expect((await upload(cadre, '用户名,姓名,角色,区划代码\r\nx,y,村干部,421321101200\r\n', 'text/csv')).statusCode).toBe(403);
  });
});
