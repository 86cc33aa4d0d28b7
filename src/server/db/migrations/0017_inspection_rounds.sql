CREATE TABLE "inspection_comparisons" (
	"round_id" uuid NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text NOT NULL,
	"cadre_form_id" uuid NOT NULL,
	"cadre_rev" integer NOT NULL,
	"cadre_user_id" uuid NOT NULL,
	"inspection_form_id" uuid NOT NULL,
	"inspection_rev" integer NOT NULL,
	"inspector_user_id" uuid NOT NULL,
	"compared" integer NOT NULL,
	"differing" integer NOT NULL,
	"t1_compared" integer NOT NULL,
	"t1_differing" integer NOT NULL,
	"t2_compared" integer NOT NULL,
	"t2_differing" integer NOT NULL,
	"t3_compared" integer NOT NULL,
	"t3_differing" integer NOT NULL,
	"fields" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_comparisons_pkey" PRIMARY KEY("round_id","household_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint GENERATED ALWAYS AS IDENTITY (sequence name "inspection_rounds_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"area_code" text NOT NULL,
	"seed" text NOT NULL,
	"rule" jsonb NOT NULL,
	"input_hash" text NOT NULL,
	"input" jsonb NOT NULL,
	"households" integer NOT NULL,
	"created_by" uuid,
	"created_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_rounds_area_code_check" CHECK ("inspection_rounds"."area_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "inspection_sample" (
	"round_id" uuid NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text NOT NULL,
	"position" integer NOT NULL,
	"reason" text NOT NULL,
	"inspector_user_id" uuid,
	"assigned_at" timestamp with time zone,
	CONSTRAINT "inspection_sample_pkey" PRIMARY KEY("round_id","household_id")
);
--> statement-breakpoint
ALTER TABLE "inspection_comparisons" ADD CONSTRAINT "inspection_comparisons_round_id_inspection_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."inspection_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_sample" ADD CONSTRAINT "inspection_sample_round_id_inspection_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."inspection_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_comparisons_cadre_form_idx" ON "inspection_comparisons" USING btree ("cadre_form_id");--> statement-breakpoint
CREATE INDEX "inspection_rounds_area_idx" ON "inspection_rounds" USING btree ("area_code","created_at");--> statement-breakpoint
CREATE INDEX "inspection_sample_inspector_idx" ON "inspection_sample" USING btree ("inspector_user_id","household_id");--> statement-breakpoint
CREATE INDEX "inspection_sample_household_idx" ON "inspection_sample" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "inspection_sample_round_village_idx" ON "inspection_sample" USING btree ("round_id","village_code","position");