/**
 * `npm run cli -- users add …`: an account from the shell, so a real
 * deployment's first admin needs no demo accounts (SEED_DEMO=0). Without
 * --password a temporary one is made and printed; its user must change it at
 * first sign-in. Recorded in the audit log as done from the command line.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { temporaryPassword } from '#shared/domain/password-rules.ts';
import { ROLES } from '#shared/schemas/auth.ts';
import { UserCreateSchema } from '#shared/schemas/users.ts';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import { cliText } from '#server/messages/cli.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { createUser } from '#server/users/user-service.ts';
import { DATABASE_OPTIONS, openCliDatabase } from './cli-database.ts';

const t = cliText.users;

/** A temporary password from node's CSPRNG (password-rules.ts). */
export const newTemporaryPassword = (): string => temporaryPassword(randomInt);

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        area: { type: 'string' },
        phone: { type: 'string' },
        password: { type: 'string' },
        ...DATABASE_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${t.help}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help === true) {
    console.log(t.help);
    return 0;
  }
  if (positionals[0] !== 'add') {
    console.error(t.help);
    return 2;
  }
  configureZodMessages();
  const given = values.password;
  const password = given ?? newTemporaryPassword();
  const parsed = z.safeParse(UserCreateSchema, { username: values.username ?? '', displayName: values.name ?? '', role: values.role ?? '', areaCode: values.area ?? '', phone: values.phone ?? null, password });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(t.invalid(issue.path.map(String).join('.'), issue.message));
    if (!ROLES.includes((values.role ?? '') as (typeof ROLES)[number])) console.error(t.roles(ROLES.join(' / ')));
    return 2;
  }
  const { database } = await openCliDatabase(values);
  try {
    const user = await createUser(database.db, { id: null, username: null, areaCode: null, areaPrefix: null, sessionId: null, ip: null }, parsed.data, { mustChangePassword: given === undefined });
    console.log(t.created(user.username, user.displayName, user.role, user.areaName ?? user.areaCode));
    if (given === undefined) console.log(t.temporary(password));
    return 0;
  } catch (err) {
    if (err instanceof HttpError) {
      console.error(t.refused(err.message));
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
