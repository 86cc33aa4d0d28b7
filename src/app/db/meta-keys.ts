/** Keys of the device's `meta` store that belong to the area's download (sync-store.ts writes them). */
export const CURSOR_KEY = 'pullCursor';
export const DOWNLOADED_KEY = 'downloadedAt';
export const REGION_NAMES_KEY = 'regionNames';
/** Removed with the area's data when the device changes hands (device-owner.ts). */
export const AREA_META_KEYS = [CURSOR_KEY, DOWNLOADED_KEY, REGION_NAMES_KEY];
