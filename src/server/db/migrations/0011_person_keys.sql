CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
-- 256 random bits, made once per database: person and account keys, cursor encryption.
INSERT INTO "server_secrets" ("name", "value")
VALUES ('person-key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
ON CONFLICT DO NOTHING;
