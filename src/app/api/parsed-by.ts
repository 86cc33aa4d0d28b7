import * as z from 'zod/mini';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import type { ResponseParser } from './http.ts';

// zod loads with the screens that use this module, not at start: its messages in Chinese from here on.
configureZodMessages();

/** A response parser from a shared zod schema (screens outside the field path's first load). */
export function parsedBy<S extends z.ZodMiniType>(schema: S): ResponseParser<z.infer<S>> {
  return (json) => z.parse(schema, json);
}
