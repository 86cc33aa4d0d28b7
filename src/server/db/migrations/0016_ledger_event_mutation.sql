ALTER TABLE "ledger_events" ADD COLUMN "mutation_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_events_mutation_id_unique" ON "ledger_events" USING btree ("mutation_id");