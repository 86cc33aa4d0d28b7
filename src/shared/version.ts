/**
 * Version of the wire contract between the app and the server. Every request
 * carries it (header `x-app-schema`); the server accepts this version and the
 * previous one, and answers 426 "upgrade required" to anything older so a
 * stale app holds its outbox until the service worker updates it.
 */
export const APP_SCHEMA_VERSION = 1;
export const APP_SCHEMA_HEADER = 'x-app-schema';
