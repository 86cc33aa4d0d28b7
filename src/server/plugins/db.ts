import fp from 'fastify-plugin';
import type { Database } from '#server/db/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

/** Exposes an already opened database; whoever opened it closes it (server.ts or the test helper). */
export default fp(
  async (app, opts: { database: Database }) => {
    app.decorate('db', opts.database);
  },
  { name: 'db' },
);
