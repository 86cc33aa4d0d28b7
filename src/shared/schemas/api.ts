import * as z from 'zod/mini';

// Shared schemas use zod/mini: the same validation on server and device, at a
// fraction of classic zod's bundle size (the field path has a 120 KB budget).

/** One field that failed validation: `path` is dotted from the request part, e.g. `body.username`. */
export const FieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/** Every non-2xx JSON answer of `/api` has this shape. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(FieldErrorSchema)),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  /** Number of database migrations applied. */
  schemaVersion: z.int(),
  /** Wire contract version (see shared/version.ts). */
  appSchemaVersion: z.int(),
  version: z.string(),
});
export type Health = z.infer<typeof HealthSchema>;
