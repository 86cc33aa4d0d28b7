import { deviceDb } from './device-db.ts';

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Keeps an attachment on the device under its SHA-256; storing the same bytes twice is a no-op. */
export async function putBlob(blob: Blob): Promise<string> {
  const sha256 = await sha256Hex(blob);
  await deviceDb.transaction('rw', deviceDb.blobs, async () => {
    if (await deviceDb.blobs.get(sha256)) return;
    await deviceDb.blobs.add({ sha256, blob, type: blob.type || 'application/octet-stream', size: blob.size, uploaded: 0, createdAt: new Date().toISOString() });
  });
  return sha256;
}

export async function getBlob(sha256: string): Promise<Blob | undefined> {
  return (await deviceDb.blobs.get(sha256))?.blob;
}

export function blobsAwaitingUpload(hashes: string[]) {
  return deviceDb.blobs.where('sha256').anyOf(hashes).filter((b) => b.uploaded === 0).toArray();
}

export async function markBlobUploaded(sha256: string): Promise<void> {
  await deviceDb.blobs.update(sha256, { uploaded: 1 });
}

/** Marks several blobs as held by the server, in one transaction. */
export async function markBlobsUploaded(hashes: string[]): Promise<void> {
  if (hashes.length === 0) return;
  await deviceDb.blobs.where('sha256').anyOf(hashes).modify({ uploaded: 1 });
}
