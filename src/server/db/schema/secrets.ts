import { pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Secrets the server makes for itself, once, in the database (migration 0011),
 * so every server process over the same database agrees on them:
 * - `person-key`: the key of the surrogate person and account keys and of the
 *   pull cursor's encryption (src/server/privacy/keys.ts).
 */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});
