-- Which forms reference an attachment, so GET /api/blobs/:sha256 can check the
-- caller's area: the signature by its hash (btree), photos by containment (GIN).
CREATE INDEX IF NOT EXISTS "check_form_versions_signature_idx" ON "check_form_versions" ((body #>> '{evidence,signatureBlob}'));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "check_form_versions_photos_idx" ON "check_form_versions" USING gin ((body #> '{evidence,photoBlobs}') jsonb_path_ops);
