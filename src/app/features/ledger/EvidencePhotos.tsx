/**
 * Evidence photos of a rectification step, shared by the item page (online)
 * and the cadre's task page (offline): the picker, and keeping the chosen
 * photos on the device, compressed like the form's, by hash.
 */
import { MAX_EVIDENCE_PHOTOS } from '#shared/schemas/ledger.ts';
import { putBlob } from '../../db/blob-store.ts';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { compressPhoto } from '../check-form/photo.ts';

export function EvidencePhotosField({ id, photos, onChange }: { id: string; photos: readonly File[]; onChange: (files: File[]) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{l.photos(MAX_EVIDENCE_PHOTOS)}</label>
      <input id={id} type="file" accept="image/*" multiple onChange={(e) => onChange([...(e.target.files ?? [])])} />
      {photos.length > 0 && <p className="muted">{l.photosChosen(photos.length)}</p>}
    </div>
  );
}

/** Compresses each photo and keeps it in the device's blob store; answers their SHA-256, in order. */
export async function keepPhotos(files: readonly File[]): Promise<string[]> {
  const hashes: string[] = [];
  for (const file of files) hashes.push(await putBlob(await compressPhoto(file)));
  return hashes;
}
