CREATE TABLE "ledger_evidence" (
	"item_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"user_id" uuid,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_evidence_pkey" PRIMARY KEY("item_id","sha256")
);
--> statement-breakpoint
ALTER TABLE "ledger_evidence" ADD CONSTRAINT "ledger_evidence_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_evidence_sha256_idx" ON "ledger_evidence" USING btree ("sha256");