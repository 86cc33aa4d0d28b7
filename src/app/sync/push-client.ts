/**
 * The upload half of the sync client: mutations and attachments. Loaded with
 * sync-push.ts only when the outbox has something to send.
 */
import * as z from 'zod/mini';
import { PushResponseSchema, type FormPutMutation, type PushResponse } from '#shared/schemas/sync.ts';
import { apiRequest, ApiRequestError, NetworkError } from '../api/http.ts';
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
    let res: Response;
    try {
      res = await fetch(`/api/uploads/${sha256}`, {
        method: 'PATCH',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(state.offset) },
        body: piece,
      });
    } catch {
      throw new NetworkError();
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.status === 409) {
      // Someone (an earlier attempt) got further or less far: ask where to continue.
      state = await apiRequest('POST', '/uploads', parsedBy(UploadState), { sha256, size: blob.size, contentType: blob.type });
      continue;
    }
    if (!res.ok) {
      const err = json as { error?: { code?: string; message?: string } } | null;
      throw new ApiRequestError(res.status, err?.error?.code ?? 'http_error', err?.error?.message ?? `上传附件失败（${res.status}）`);
    }
    state = z.parse(UploadState, json);
  }
}

/** PUT by hash: idempotent, so a retry after a lost reply is harmless. */
async function putBlob(sha256: string, blob: Blob): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/blobs/${sha256}`, { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': blob.type }, body: blob });
  } catch {
    throw new NetworkError();
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiRequestError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `上传附件失败（${res.status}）`);
  }
  z.parse(BlobAck, await res.json());
}
