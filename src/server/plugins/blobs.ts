import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import fp from 'fastify-plugin';

/**
 * Where attachment bytes live, addressed by SHA-256. The default keeps files
 * under the data directory; an S3-compatible store can implement the same
 * three methods when attachments outgrow one disk (architecture.md).
 */
export interface BlobStore {
  has(sha256: string): Promise<boolean>;
  /** Stores bytes whose hash the caller has verified; idempotent. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  read(sha256: string): Readable;
  /** Bytes received so far of a resumable upload (0 if none). */
  partialSize(sha256: string): Promise<number>;
  /** Appends a chunk at the end of the partial upload. */
  appendPartial(sha256: string, bytes: Buffer): Promise<number>;
  /** Verifies the complete partial upload against its hash; stores it on success, discards it otherwise. */
  completePartial(sha256: string): Promise<{ ok: true; size: number } | { ok: false; actual: string }>;
  /** Drops a partial upload's bytes (an abandoned upload started over). */
  discardPartial(sha256: string): Promise<void>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private path(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.path(sha256));
      return true;
    } catch {
      return false;
    }
  }

  private readonly dirs = new Set<string>();

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const final = this.path(sha256);
    const dir = join(final, '..');
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // Write aside, flush, then rename and flush the directory: a crash never leaves a
    // half file under the final name, and once put() returns (and the caller records
    // the blob in the database) the bytes survive a power cut too.
    const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(tmp, 'w').catch(async (err: unknown) => {
      // The directory went away since it was made (cleaned up by hand): make it again.
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
      await mkdir(dir, { recursive: true });
      return open(tmp, 'w');
    });
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, final);
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  read(sha256: string): Readable {
    return createReadStream(this.path(sha256));
  }

  private partialPath(sha256: string): string {
    return join(this.root, 'partial', `${sha256}.part`);
  }

  async partialSize(sha256: string): Promise<number> {
    try {
      return (await stat(this.partialPath(sha256))).size;
    } catch {
      return 0;
    }
  }

  async appendPartial(sha256: string, bytes: Buffer): Promise<number> {
    await mkdir(join(this.root, 'partial'), { recursive: true });
    await appendFile(this.partialPath(sha256), bytes);
    return this.partialSize(sha256);
  }

  async discardPartial(sha256: string): Promise<void> {
    await rm(this.partialPath(sha256), { force: true });
  }

  async completePartial(sha256: string): Promise<{ ok: true; size: number } | { ok: false; actual: string }> {
    const path = this.partialPath(sha256);
    const bytes = await readFile(path);
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      await rm(path, { force: true });
      return { ok: false, actual };
    }
    await this.put(sha256, bytes);
    await rm(path, { force: true });
    return { ok: true, size: bytes.length };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    blobs: BlobStore;
  }
}

export default fp(
  async (app, opts: { store: BlobStore }) => {
    app.decorate('blobs', opts.store);
  },
  { name: 'blobs' },
);
