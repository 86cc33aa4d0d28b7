import { ImportRunListSchema, ImportRunSchema, ImportUploadResponseSchema, type ImportUploadResponse } from '#shared/schemas/roster-import.ts';
import { readApiError } from '#shared/schemas/wire-guards.ts';
import { APP_SCHEMA_HEADER, APP_SCHEMA_VERSION } from '#shared/version.ts';
import { apiRequest, ApiRequestError, NetworkError } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';
import { t } from '../../i18n/index.ts';

export function getImportRun(id: string) {
  return apiRequest('GET', `/admin/imports/${id}`, parsedBy(ImportRunSchema));
}

export function listImportRuns() {
  return apiRequest('GET', '/admin/imports', parsedBy(ImportRunListSchema));
}

export const reportUrl = (id: string) => `/api/admin/imports/${id}/report.csv`;
export const templateUrl = (file: string) => `/api/admin/import-templates/${file}`;

/**
 * Uploads files as multipart/form-data. XMLHttpRequest rather than fetch:
 * only XHR reports upload progress, and a county's payment file can take
 * minutes on a township office's line.
 */
export function uploadImportFiles(files: readonly File[], onProgress: (loaded: number, total: number) => void): Promise<ImportUploadResponse> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/imports');
    xhr.setRequestHeader(APP_SCHEMA_HEADER, String(APP_SCHEMA_VERSION));
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onerror = () => reject(new NetworkError());
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = null;
      }
      if (xhr.status === 202) {
        const parsed = ImportUploadResponseSchema.safeParse(json);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiRequestError(xhr.status, 'bad_response', t.errors.server(xhr.status)));
        return;
      }
      const err = readApiError(json);
      reject(err ? new ApiRequestError(xhr.status, err.code, err.message) : new ApiRequestError(xhr.status, 'http_error', t.errors.server(xhr.status)));
    };
    xhr.send(form);
  });
}
