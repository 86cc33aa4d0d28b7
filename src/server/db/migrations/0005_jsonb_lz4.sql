-- Form bodies (~2-3 KB of jsonb) are over the TOAST threshold, so PostgreSQL
-- compresses every one it stores: three per pushed form (the form, its
-- version, the logged mutation). pglz was a third of PostgreSQL's CPU in the
-- ingest benchmark; lz4 is several times cheaper at a similar ratio. Only new
-- values are affected. A server built without lz4 (PGlite) keeps pglz.
DO $$
BEGIN
  ALTER TABLE "check_forms" ALTER COLUMN "body" SET COMPRESSION lz4;
  ALTER TABLE "check_form_versions" ALTER COLUMN "body" SET COMPRESSION lz4;
  ALTER TABLE "sync_mutations" ALTER COLUMN "payload" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available here: jsonb columns keep pglz';
END
$$;
