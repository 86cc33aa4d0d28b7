import fp from 'fastify-plugin';
import { ScanRunner } from '#server/ledger/scan-runner.ts';
import { loggableError } from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Background anomaly scans into the ledger (ledger/scan-runner.ts). */
    scans: ScanRunner;
  }
}

/** One scan runner per app: the ledger's scan route and the roster import's end both queue on it. */
export default fp(
  async (app) => {
    const runner = new ScanRunner(app.db, {
      onError: (err, scanId) => {
        app.log.error({ err: loggableError(err), scanId }, 'anomaly scan failed');
      },
    });
    const interrupted = await runner.recover();
    if (interrupted > 0) app.log.warn({ interrupted }, 'anomaly scans left unfinished by the last run were marked failed');
    app.decorate('scans', runner);
    app.addHook('onClose', async () => {
      await runner.close();
    });
  },
  { name: 'scans', dependencies: ['db'] },
);
