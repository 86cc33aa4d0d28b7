import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { FsBlobStore } from './plugins/blobs.ts';
import { ensureDemoData } from './cli/demo-data.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { cliText } from '#server/messages/cli.zh-CN.ts';
import { ensureDemoLedger } from './cli/demo/ledger.ts';
import { ensureDemoInspection } from './cli/demo/inspection.ts';
import { ensureDemoCampaign, ensureDemoRechecks } from './cli/demo/campaign.ts';

// Only listens: everything else is in app.ts so tests can build the same app.
const config = loadConfig();
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const database = await openDatabase(
  config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, onIdleError: (err) => console.warn(`an idle database connection failed and is replaced: ${err.message}`) }
    : { kind: 'pglite', dataDir: config.dataDir },
);
await database.migrate();

const app = await buildApp({
  database,
  staticDir: config.staticDir,
  secureCookies: config.secureCookies,
  trustProxy: config.trustProxy,
  blobStore: new FsBlobStore(join(config.dataDir, 'blobs')),
  logger: { level: config.logLevel },
  version: pkg.version,
});

const demo = config.seedDemo ? await ensureDemoData(database.db, { password: config.demoPassword, county: true, people: config.demoPeople, log: (m) => console.log(m) }) : null;
if (demo) {
  const ledger = await ensureDemoLedger(database);
  if (ledger) console.log(`Demo ledger: ${ledger.items} problems from the payment data, some taken through rectification.`);
  if (config.demoCampaign) {
    console.log('Demo campaign: the township cadres check two thirds of the county (DEMO_CAMPAIGN=0 starts on day one)…');
    const campaign = await ensureDemoCampaign(app, { password: config.demoPassword, log: (m) => console.log(m) });
    if (campaign) console.log(`Demo campaign: ${campaign.forms} forms (${campaign.problems} problems found), ${campaign.accepted} accepted, ${campaign.returned} sent back.`);
  }
  const round = await ensureDemoInspection(database);
  if (round) console.log(`Demo spot check: ${round.households} households in ${round.villages} villages of the inspector's township drawn and given to the inspector.`);
  if (config.demoCampaign) {
    const rechecks = await ensureDemoRechecks(app, { password: config.demoPassword });
    if (rechecks) console.log(`Demo spot check: ${rechecks.rechecked} households re-checked, ${rechecks.differing} with answers that differ from the cadre's.`);
  }
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  try {
    await app.close();
    await database.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const address = await app.listen({ host: config.host, port: config.port });
const where = database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
const lines = [
  '',
  `  ${cliText.product} is running: ${address.replace('127.0.0.1', 'localhost')}/`,
  `  Database: ${where}`,
  `  API docs: ${address}/api/docs`,
];
if (demo) {
  lines.push('  Demo accounts (password for all: ' + demo.password + '):');
  for (const u of demo.accounts) lines.push(`    ${u.username.padEnd(11)} ${u.roleLabel} · ${u.areaName}`);
}
console.log(lines.join('\n') + '\n');
