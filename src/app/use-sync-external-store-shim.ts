/**
 * wouter imports `use-sync-external-store/shim` for React 17; React 18+ has
 * the hook built in, and the shim's fallback code would only add bytes to
 * the field path's budget. vite.config.ts points the shim here.
 */
export { useSyncExternalStore } from 'react';
