import { readApiError } from '#shared/schemas/wire-guards.ts';
import { APP_SCHEMA_HEADER, APP_SCHEMA_VERSION } from '#shared/version.ts';
import { t } from '../i18n/index.ts';

/** The server answered with an error status: `code` and `message` come from its JSON body. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (offline, DNS, server down). */
export class NetworkError extends Error {
  constructor() {
    super(t.errors.network);
  }
}

/** `code`: the server's reason ('session_expired', or 'device_revoked' / 'account_disabled': wipe the area). */
type UnauthorizedListener = (code: string) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called on every 401 so the app can return to sign-in (and nothing else is touched). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * Checks a response body and gives it its type: `parsedBy(Schema)` (zod, in
 * the lazily loaded screens) or a guard of wire-guards.ts on the field path.
 */
export type ResponseParser<T> = (json: unknown) => T;

/** For endpoints that answer 204 No Content. */
export const noContent: ResponseParser<null> = () => null;

/** Bytes sent as they are (an attachment or a piece of one), with their own content type. */
export class RawBody {
  constructor(
    readonly blob: Blob,
    readonly contentType: string,
  ) {}
}

/**
 * Every call to the server goes through here: the schema header, the error
 * body read into an ApiRequestError, a 401 told to the app. `body` is sent
 * as JSON, or as its bytes when it is a RawBody.
 */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  parse: ResponseParser<T>,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const contentType = body === undefined ? {} : { 'content-type': body instanceof RawBody ? body.contentType : 'application/json' };
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        [APP_SCHEMA_HEADER]: String(APP_SCHEMA_VERSION),
        ...contentType,
        ...extraHeaders,
      },
      ...(body === undefined ? {} : { body: body instanceof RawBody ? body.blob : JSON.stringify(body) }),
    });
  } catch {
    throw new NetworkError();
  }
  if (res.status === 204) return parse(null);
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const body = readApiError(json);
    const err = body ? new ApiRequestError(res.status, body.code, body.message) : new ApiRequestError(res.status, 'http_error', t.errors.server(res.status));
    if (res.status === 401) for (const l of unauthorizedListeners) l(err.code);
    throw err;
  }
  return parse(json);
}
