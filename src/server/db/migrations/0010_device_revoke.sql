ALTER TABLE "devices" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "revoked_by" uuid;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "wiped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "lost_forms" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "lost_mutations" integer;