import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import { APP_SCHEMA_HEADER, APP_SCHEMA_VERSION, MIN_APP_SCHEMA_VERSION } from '#shared/version.ts';
import { DEFAULT_SIGN_IN_THROTTLE, type SignInThrottleOptions } from './auth/sign-in-throttle.ts';
import type { Database } from './db/client.ts';
import authPlugin from './plugins/auth.ts';
import blobsPlugin, { FsBlobStore, type BlobStore } from './plugins/blobs.ts';
import scansPlugin from './plugins/scans.ts';
import dbPlugin from './plugins/db.ts';
import { registerErrorHandling, sendError } from './plugins/errors.ts';
import { registerInputGuard } from './plugins/input-guard.ts';
import { anomalyRoutes } from './routes/anomalies.ts';
import { authRoutes } from './routes/auth.ts';
import { rosterImportRoutes } from './routes/roster-import.ts';
import { blobRoutes } from './routes/blobs.ts';
import { formRoutes } from './routes/forms.ts';
import { healthRoutes } from './routes/health.ts';
import { syncRoutes } from './routes/sync.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { auditRoutes } from './routes/audit.ts';
import { userRoutes } from './routes/users.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { inspectionRoutes } from './routes/inspection.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { exportRoutes } from './routes/exports.ts';
import { reportRoutes } from './routes/reports.ts';
import { DEFAULT_DISCLOSURE_THROTTLE, DEFAULT_TIP_THROTTLE, publicRoutes, type ThrottleOptions } from './routes/public.ts';

export interface AppOptions {
  database: Database;
  /** Built PWA to serve at `/`; omitted or missing on disk, only `/api` is served. */
  staticDir?: string | undefined;
  /** Always mark the session cookie Secure; otherwise it is Secure on HTTPS requests (see trustProxy). */
  secureCookies?: boolean;
  /** Proxies whose X-Forwarded-* headers are believed (Fastify's trustProxy: hops, or addresses/CIDRs); none by default. */
  trustProxy?: number | string | undefined;
  logger?: FastifyServerOptions['logger'];
  signInRateLimit?: SignInThrottleOptions;
  /** Tip-offs per address (the public form). */
  tipThrottle?: ThrottleOptions;
  /** Public disclosure pages per address (公示). */
  disclosureThrottle?: ThrottleOptions;
  /** Attachment bytes; defaults to a fresh temporary directory (tests). */
  blobStore?: BlobStore;
  /** Largest JSON body accepted, bytes. */
  bodyLimit?: number;
  version?: string;
}

/**
 * The content security policy the app is built to pass: everything from our
 * own origin, images also from data:/blob: (signatures and photos drawn or
 * compressed on the device), nothing inline, no framing.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

function hopsTrusted(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  configureZodMessages();
  const serverOptions: FastifyServerOptions = {
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // A number is that many hops (proxy-addr's meaning); Fastify's types only take the function form of it.
    trustProxy: typeof opts.trustProxy === 'number' ? hopsTrusted(opts.trustProxy) : (opts.trustProxy ?? false),
  };
  const app = Fastify(serverOptions).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Cross-origin isolation is not needed and would block the map tiles a later
    // version may load; keep the rest of helmet's defaults.
    crossOriginEmbedderPolicy: false,
  });
  // Roster downloads and the app shell travel over slow village links: compress them.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyCookie);
  await app.register(dbPlugin, { database: opts.database });
  await app.register(scansPlugin);
  await app.register(authPlugin, { secureCookies: opts.secureCookies ?? false });
  await app.register(blobsPlugin, { store: opts.blobStore ?? new FsBlobStore(mkdtempSync(join(tmpdir(), 'ykt-blobs-'))) });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: t.title, version: opts.version ?? '0.0.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ykt_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      registerInputGuard(api);
      // A stale app keeps its outbox and waits for the service worker to update it.
      api.addHook('onRequest', async (request, reply) => {
        const raw = request.headers[APP_SCHEMA_HEADER];
        if (typeof raw !== 'string') return;
        const v = Number(raw);
        if (!Number.isInteger(v) || v < Math.max(APP_SCHEMA_VERSION - 1, MIN_APP_SCHEMA_VERSION)) {
          return sendError(reply, 426, 'upgrade_required', t.http.upgradeRequired);
        }
        if (v > APP_SCHEMA_VERSION) {
          return sendError(reply, 409, 'server_outdated', t.http.serverOutdated);
        }
      });
      await api.register(healthRoutes, { version: opts.version ?? '0.0.0' });
      await api.register(authRoutes, { signInRateLimit: opts.signInRateLimit ?? DEFAULT_SIGN_IN_THROTTLE });
      await api.register(rosterImportRoutes);
      await api.register(anomalyRoutes);
      await api.register(syncRoutes);
      await api.register(blobRoutes);
      await api.register(formRoutes);
      await api.register(auditRoutes);
      await api.register(userRoutes);
      await api.register(ledgerRoutes);
      await api.register(inspectionRoutes);
      await api.register(coverageRoutes);
      await api.register(exportRoutes);
      await api.register(reportRoutes);
      await api.register(publicRoutes, { tipThrottle: opts.tipThrottle ?? DEFAULT_TIP_THROTTLE, disclosureThrottle: opts.disclosureThrottle ?? DEFAULT_DISCLOSURE_THROTTLE });
    },
    { prefix: '/api' },
  );

  const staticDir = opts.staticDir;
  const hasStatic = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  if (staticDir !== undefined && hasStatic) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: true,
      setHeaders(reply, path) {
        // Hashed build assets never change; everything else (index.html, sw.js,
        // the manifest) must be revalidated so updates are seen.
        const immutable = path.startsWith(join(staticDir, 'assets'));
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !url.startsWith('/api') && (request.headers.accept ?? '').includes('text/html');
    if (hasStatic && wantsPage) {
      // Client-side routes: the app shell answers every page URL.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', t.http.notFound(request.method, url.split('?')[0] ?? ''));
  });

  return app;
}
