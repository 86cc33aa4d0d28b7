/**
 * The REAL server (src/server/server.ts) as a child process, the way
 * `npm start` runs it, with fault injection on (YKT_FAULTS=1) for the fault
 * suite, or off for benchmarks. It can be
 * SIGKILLed and restarted on the same port (same origin for the browser:
 * same IndexedDB, same cookies) and the same data directory or database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultPlan } from '#server/sync/faults.ts';
import { createScratchPostgres } from './scratch-postgres.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_PASSWORD = 'Fault-Demo-2026';

export type FaultDbKind = 'pglite' | 'postgres';

/** vitest.config.ts runs this suite twice: `faults` (PGlite) and `faults-pg` (PostgreSQL). */
export function faultDbKind(): FaultDbKind {
  return process.env.FAULTS_DB_KIND === 'pg' ? 'postgres' : 'pglite';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServerProcess {
  readonly baseUrl: string;
  private child: ChildProcess | null = null;
  private exited: Promise<Exit> | null = null;
  private log: string[] = [];
  /** How every run of this server ended so far (a fault's SIGKILL shows here). */
  readonly exits: Exit[] = [];

  private constructor(
    readonly kind: FaultDbKind,
    readonly port: number,
    readonly workDir: string,
    readonly staticDir: string,
    readonly faultsFile: string,
    private readonly databaseUrl: string | null,
    private readonly dropDatabase: (() => Promise<void>) | null,
    private readonly people: number,
    private readonly faults: boolean,
    private readonly extraEnv: Record<string, string>,
    private readonly nodeArgs: string[],
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** A fresh data directory (or a fresh PostgreSQL database), a private copy of dist/, a free port. */
  static async start(opts: { kind?: FaultDbKind; people?: number; faults?: boolean; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
    const kind = opts.kind ?? faultDbKind();
    const workDir = mkdtempSync(join(tmpdir(), 'ykt-faults-'));
    const staticDir = join(workDir, 'static');
    // A private copy: the service-worker scenario changes sw.js in it.
    cpSync(join(ROOT, 'dist'), staticDir, { recursive: true });
    const faultsFile = join(workDir, 'faults.json');
    writeFileSync(faultsFile, '{}');
    let databaseUrl: string | null = null;
    let drop: (() => Promise<void>) | null = null;
    if (kind === 'postgres') {
      const adminUrl = process.env.TEST_DATABASE_URL;
      if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for faults-pg');
      const scratch = await createScratchPostgres(adminUrl, 'ykt_faults');
      databaseUrl = scratch.url;
      drop = scratch.drop;
    }
    const server = new ServerProcess(kind, await freePort(), workDir, staticDir, faultsFile, databaseUrl, drop, opts.people ?? 1200, opts.faults ?? true, opts.env ?? {}, opts.nodeArgs ?? []);
    await server.launch();
    return server;
  }

  /** The database URL on PostgreSQL (tests may open their own connections), null on PGlite. */
  get pgUrl(): string | null {
    return this.databaseUrl;
  }

  /** The server's PGlite data directory (open it only while the server is stopped). */
  get dataDir(): string {
    return join(this.workDir, 'data');
  }

  setFaults(plan: FaultPlan): void {
    writeFileSync(this.faultsFile, JSON.stringify(plan));
  }

  output(): string {
    return this.log.join('');
  }

  private async launch(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(this.port),
      DATA_DIR: this.dataDir,
      STATIC_DIR: this.staticDir,
      SEED_DEMO: '1',
      DEMO_CAMPAIGN: '0',
      DEMO_PEOPLE: String(this.people),
      DEMO_PASSWORD,
      LOG_LEVEL: 'warn',
      ...(this.faults ? { YKT_FAULTS: '1', YKT_FAULTS_FILE: this.faultsFile } : {}),
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ...this.extraEnv,
    };
    // node itself, not npx: a SIGKILL must reach the server, not a wrapper. The flags of `npm start`
    // (package.json): a larger young generation, fewer scavenges of the large request bodies of a push.
    const child = spawn(process.execPath, ['--max-semi-space-size=64', ...this.nodeArgs, '--import', 'tsx', 'src/server/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (d: Buffer) => this.log.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => this.log.push(d.toString()));
    this.exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        const exit = { code, signal };
        this.exits.push(exit);
        if (this.child === child) this.child = null;
        resolve(exit);
      });
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (this.child !== child) throw new Error(`server exited during start:\n${this.output()}`);
      try {
        const res = await fetch(`${this.baseUrl}/api/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The server's process id while it runs (for CPU accounting in benchmarks). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Resolves when the current run ends (a fault killed it, or kill/stop). */
  async waitForExit(timeoutMs = 30_000): Promise<Exit> {
    if (!this.exited) throw new Error('never started');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`server still running after ${timeoutMs} ms`)), timeoutMs).unref());
    return Promise.race([this.exited, timeout]);
  }

  /** SIGKILL: no shutdown hooks, no flush. */
  async kill(): Promise<Exit> {
    if (this.child) this.child.kill('SIGKILL');
    return this.waitForExit();
  }

  /** SIGTERM: the clean shutdown of server.ts. */
  async stop(): Promise<Exit> {
    if (this.child) this.child.kill('SIGTERM');
    return this.waitForExit();
  }

  /** Starts again on the same port and data; the fault plan is cleared unless given. */
  async restart(plan: FaultPlan = {}): Promise<void> {
    if (this.child) throw new Error('restart while running');
    this.setFaults(plan);
    await this.launch();
  }

  async dispose(): Promise<void> {
    if (this.child) await this.stop().catch(() => this.kill());
    if (this.dropDatabase) await this.dropDatabase();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
