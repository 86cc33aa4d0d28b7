CREATE TABLE "ledger_tips" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"via" text NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"place" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_tips" ADD CONSTRAINT "ledger_tips_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE no action ON UPDATE no action;