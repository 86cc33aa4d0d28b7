-- Where lz4 is missing (PGlite: migration 0005 kept pglz), a form body of
-- ~2-3 KB is still compressed with pglz on every write: an eighth of the
-- ingest's CPU on PGlite, on its one thread. Raising the tables' TOAST target
-- stores such rows whole and uncompressed (larger on disk: PGlite serves a
-- county at most); bodies over ~8 KB are still compressed. PostgreSQL with
-- lz4 is left as it is.
DO $$
BEGIN
  IF (SELECT attcompression FROM pg_attribute WHERE attrelid = 'check_form_versions'::regclass AND attname = 'body') <> 'l' THEN
    ALTER TABLE "check_forms" SET (toast_tuple_target = 8160);
    ALTER TABLE "check_form_versions" SET (toast_tuple_target = 8160);
  END IF;
END
$$;
