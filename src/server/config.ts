import { resolve } from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.url().optional(),
  STATIC_DIR: z.string().default('./dist'),
  /**
   * `1`: the session cookie is always `Secure`. Otherwise it is `Secure`
   * whenever the request came over HTTPS, which behind a proxy is read from
   * X-Forwarded-Proto of a trusted proxy (TRUST_PROXY).
   */
  SECURE_COOKIES: z.enum(['0', '1']).default('0'),
  /**
   * The reverse proxy in front, whose X-Forwarded-For/-Proto headers are
   * believed: a number of hops, or addresses and CIDR ranges separated by
   * commas (`127.0.0.1,10.0.0.0/8`). Unset: none (the headers are ignored, so a
   * client cannot forge its address for the sign-in throttle or the audit log).
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*)$/, 'hops (a number) or addresses/CIDR ranges separated by commas')
    .optional(),
  DEMO_PASSWORD: z.string().min(8).default('Demo@2026'),
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  /**
   * `1`: the demo county opens as a campaign in progress (two thirds of the
   * households checked, forms reviewed, part of the sample re-checked);
   * `0`: as on day one, nothing visited yet.
   */
  DEMO_CAMPAIGN: z.enum(['0', '1']).default('1'),
  /** People in the generated demo county (first start on an empty database); tests use a small one. */
  DEMO_PEOPLE: z.coerce.number().int().min(100).max(2_000_000).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  staticDir: string;
  secureCookies: boolean;
  trustProxy: number | string | undefined;
  demoPassword: string;
  seedDemo: boolean;
  demoCampaign: boolean;
  demoPeople: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    staticDir: resolve(e.STATIC_DIR),
    secureCookies: e.SECURE_COOKIES === '1',
    trustProxy: e.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    demoPassword: e.DEMO_PASSWORD,
    seedDemo: e.SEED_DEMO === '1',
    demoCampaign: e.DEMO_CAMPAIGN === '1',
    demoPeople: e.DEMO_PEOPLE,
    logLevel: e.LOG_LEVEL,
  };
}
