import * as z from 'zod/mini';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { UserImportReportSchema, UserSchema, type UserCreate, type UserUpdate } from '#shared/schemas/users.ts';
import { apiRequest, RawBody } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';

export const listUsers = () => apiRequest('GET', '/admin/users', parsedBy(z.array(UserSchema)));
export const listRegions = () => apiRequest('GET', '/admin/regions', parsedBy(z.array(RegionNameSchema)));
export const createUser = (body: UserCreate) => apiRequest('POST', '/admin/users', parsedBy(UserSchema), body);
export const updateUser = (id: string, body: UserUpdate) => apiRequest('PATCH', `/admin/users/${id}`, parsedBy(UserSchema), body);
export const setDisabled = (id: string, disabled: boolean) => apiRequest('POST', `/admin/users/${id}/${disabled ? 'disable' : 'enable'}`, parsedBy(UserSchema));
export const resetPassword = (id: string, password: string) => apiRequest('POST', `/admin/users/${id}/password`, parsedBy(UserSchema), { password });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Accounts from a CSV or XLSX: the file itself is the body. */
export const importUsers = (file: File) =>
  apiRequest('POST', '/admin/users/import', parsedBy(UserImportReportSchema), new RawBody(file, /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv'));

/** A temporary password from the browser's CSPRNG (rejection sampling keeps it uniform). */
export function randomIndex(n: number): number {
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0] ?? 0;
    if (v < limit) return v % n;
  }
}
