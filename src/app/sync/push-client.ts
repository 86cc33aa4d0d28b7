/**
 * The upload half of the sync client: mutations and attachments. Loaded with
 * sync-push.ts only when the outbox has something to send.
 */
import * as z from 'zod/mini';
import { PushResponseSchema, type FormPutMutation, type PushResponse } from '#shared/schemas/sync.ts';
import { apiRequest, ApiRequestError, RawBody } from '../api/http.ts';
import { parsedBy } from '../api/parsed-by.ts';

export function pushMutations(deviceId: string, mutations: FormPutMutation[], outboxSize: number): Promise<PushResponse> {
  return apiRequest('POST', '/sync/push', parsedBy(PushResponseSchema), { deviceId, appVersion: __APP_VERSION__, outboxSize, mutations });
}

const BlobAck = z.object({ sha256: z.string(), size: z.int() });

/** Attachments above this go in resumable chunks (a photo over a village link); smaller ones (signatures) in one PUT. */
const CHUNK_BYTES = 256 * 1024;
const UploadState = z.object({ sha256: z.string(), offset: z.int(), size: z.int(), complete: z.boolean() });

export async function uploadBlob(sha256: string, blob: Blob): Promise<void> {
  if (blob.size <= CHUNK_BYTES) return putBlob(sha256, blob);
  let state = await apiRequest('POST', '/uploads', parsedBy(UploadState), { sha256, size: blob.size, contentType: blob.type });
  while (!state.complete) {
    const piece = blob.slice(state.offset, state.offset + CHUNK_BYTES);
    try {
      state = await apiRequest('PATCH', `/uploads/${sha256}`, parsedBy(UploadState), new RawBody(piece, 'application/offset+octet-stream'), {
        'upload-offset': String(state.offset),
      });
    } catch (err) {
      // Someone (an earlier attempt) got further or less far: ask where to continue.
      if (!(err instanceof ApiRequestError && err.status === 409)) throw err;
      state = await apiRequest('POST', '/uploads', parsedBy(UploadState), { sha256, size: blob.size, contentType: blob.type });
    }
  }
}

/** PUT by hash: idempotent, so a retry after a lost reply is harmless. */
async function putBlob(sha256: string, blob: Blob): Promise<void> {
  await apiRequest('PUT', `/blobs/${sha256}`, parsedBy(BlobAck), new RawBody(blob, blob.type));
}
