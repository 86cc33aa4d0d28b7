/**
 * Photos are compressed on the phone before they are stored: a 12-megapixel
 * camera JPEG (4–6 MB) becomes ~150–300 KB at 1280 px and quality 0.7, which
 * is plenty to see a house, a card or a posted notice, and keeps both the
 * phone's storage and the upload over a weak signal small.
 */
export const PHOTO_MAX_PX = 1280;
export const PHOTO_QUALITY = 0.7;

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
    } catch {
      // Older WebViews reject the options bag or some JPEGs: fall back to an <img>.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
  } catch (err) {
    URL.revokeObjectURL(url);
    throw err;
  }
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob returned nothing'))), type, quality);
  });
}

/** Scales the picture down to at most PHOTO_MAX_PX on its long side and re-encodes it as JPEG. */
export async function compressPhoto(file: Blob): Promise<Blob> {
  const img = await decode(file);
  try {
    const scale = Math.min(1, PHOTO_MAX_PX / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    // JPEG has no transparency: a white ground instead of black behind transparent PNG screenshots.
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img.source, 0, 0, canvas.width, canvas.height);
    return await toBlob(canvas, 'image/jpeg', PHOTO_QUALITY);
  } finally {
    img.close();
  }
}

/** PNG of a canvas (the signature). */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return toBlob(canvas, 'image/png');
}
