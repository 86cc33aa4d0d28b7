/**
 * Version of the wire contract between the app and the server. Every request
 * carries it (header `x-app-schema`); the server accepts this version and the
 * previous one, unless a change cannot be read by the previous app (then
 * MIN_APP_SCHEMA_VERSION moves up with it), and answers 426 "upgrade required"
 * to anything older so a stale app holds its outbox until the service worker
 * updates it.
 *
 * 2: the roster travels with keys and masked numbers (issue 12, item 3); an
 *    app of version 1 would store accounts by a number it no longer gets.
 */
export const APP_SCHEMA_VERSION = 2;
export const MIN_APP_SCHEMA_VERSION = 2;
export const APP_SCHEMA_HEADER = 'x-app-schema';
