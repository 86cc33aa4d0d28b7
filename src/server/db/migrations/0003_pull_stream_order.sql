-- Stream-order indexes for pull (see schema/roster.ts). Written to be re-runnable: a
-- development database may hold an earlier draft of this migration.
CREATE INDEX IF NOT EXISTS "households_xid_idx" ON "households" USING btree ("xid","id");--> statement-breakpoint
DROP INDEX IF EXISTS "payment_lines_xid_idx";--> statement-breakpoint
CREATE INDEX "payment_lines_xid_idx" ON "payment_lines" USING btree ("xid","household_id","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "persons_xid_idx" ON "persons" USING btree ("xid","id");
