CREATE TABLE "ledger_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"item_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"username" text,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"comment" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint GENERATED ALWAYS AS IDENTITY (sequence name "ledger_items_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"problem_code" text NOT NULL,
	"category" text NOT NULL,
	"state" text DEFAULT 'found' NOT NULL,
	"area_code" text NOT NULL,
	"household_id" text,
	"person_key" text,
	"item_code" text,
	"dedupe_key" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"amount_involved_fen" bigint,
	"amount_recovered_fen" bigint,
	"outcome" text,
	"assignment" jsonb,
	"referral" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "ledger_items_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "ledger_items_number_unique" UNIQUE("number"),
	CONSTRAINT "ledger_items_state_check" CHECK ("ledger_items"."state" in ('found', 'confirmed', 'dismissed', 'assigned', 'rectifying', 'evidence-submitted', 'reverified', 'closed')),
	CONSTRAINT "ledger_items_area_code_check" CHECK ("ledger_items"."area_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_sources" (
	"item_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_sources_kind_ref_unique" UNIQUE("kind","ref")
);
--> statement-breakpoint
ALTER TABLE "ledger_events" ADD CONSTRAINT "ledger_events_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_sources" ADD CONSTRAINT "ledger_sources_item_id_ledger_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."ledger_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_events_item_idx" ON "ledger_events" USING btree ("item_id","id");--> statement-breakpoint
CREATE INDEX "ledger_items_area_number_idx" ON "ledger_items" USING btree ("area_code","number");--> statement-breakpoint
CREATE INDEX "ledger_items_state_idx" ON "ledger_items" USING btree ("state","number");--> statement-breakpoint
CREATE INDEX "ledger_sources_item_idx" ON "ledger_sources" USING btree ("item_id");--> statement-breakpoint
CREATE TRIGGER ledger_items_set_xid BEFORE UPDATE ON ledger_items FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
