CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"device_id" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"area_code" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('cadre', 'inspector', 'supervisor', 'admin')),
	CONSTRAINT "users_area_code_check" CHECK ("users"."area_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"number" text NOT NULL,
	"bank_name" text NOT NULL,
	"type" text NOT NULL,
	"holder_person_id" text NOT NULL,
	"village_code" text NOT NULL,
	"opened_on" date,
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "accounts_pkey" PRIMARY KEY("number","bank_name"),
	CONSTRAINT "accounts_number_check" CHECK ("accounts"."number" ~ '^[0-9]{8,30}$'),
	CONSTRAINT "accounts_type_check" CHECK ("accounts"."type" in ('card', 'passbook', 'sscard')),
	CONSTRAINT "accounts_village_code_check" CHECK ("accounts"."village_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" text PRIMARY KEY NOT NULL,
	"village_code" text NOT NULL,
	"group_name" text NOT NULL,
	"house_number" text NOT NULL,
	"head_person_id" text NOT NULL,
	"phone" text,
	"farmland_mu" numeric(12, 2),
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "households_village_code_check" CHECK ("households"."village_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "payment_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"item_code" text NOT NULL,
	"beneficiary_person_id" text NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text NOT NULL,
	"period" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"paid_on" date NOT NULL,
	"account_number" text NOT NULL,
	"bank_name" text NOT NULL,
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "payment_lines_amount_check" CHECK ("payment_lines"."amount_fen" > 0),
	CONSTRAINT "payment_lines_village_code_check" CHECK ("payment_lines"."village_code" ~ '^[0-9]{12}$'),
	CONSTRAINT "payment_lines_period_check" CHECK ("payment_lines"."period" ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$')
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" text PRIMARY KEY NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text NOT NULL,
	"name" text NOT NULL,
	"sex" text NOT NULL,
	"birth_date" date NOT NULL,
	"relation" text NOT NULL,
	"status" text NOT NULL,
	"status_date" date,
	"phone" text,
	"is_cadre_relative" boolean DEFAULT false NOT NULL,
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "persons_id_check" CHECK ("persons"."id" ~ '^[0-9]{17}[0-9X]$'),
	CONSTRAINT "persons_village_code_check" CHECK ("persons"."village_code" ~ '^[0-9]{12}$'),
	CONSTRAINT "persons_sex_check" CHECK ("persons"."sex" in ('M', 'F')),
	CONSTRAINT "persons_relation_check" CHECK ("persons"."relation" in ('户主', '配偶', '子', '女', '父母', '孙子女', '兄弟姐妹', '其他')),
	CONSTRAINT "persons_status_check" CHECK ("persons"."status" in ('living', 'deceased', 'moved-out', 'not-member'))
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	CONSTRAINT "regions_code_check" CHECK ("regions"."code" ~ '^[0-9]{12}$'),
	CONSTRAINT "regions_level_check" CHECK ("regions"."level" in ('province', 'city', 'county', 'township', 'village'))
);
--> statement-breakpoint
CREATE TABLE "roster_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"user_id" uuid,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"ok_count" integer DEFAULT 0 NOT NULL,
	"warning_count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	CONSTRAINT "roster_imports_kind_check" CHECK ("roster_imports"."kind" in ('regions', 'subsidy-items', 'households', 'persons', 'accounts', 'payment-lines', 'workbook')),
	CONSTRAINT "roster_imports_status_check" CHECK ("roster_imports"."status" in ('running', 'succeeded', 'failed')),
	CONSTRAINT "roster_imports_sha256_check" CHECK ("roster_imports"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "roster_imports_counts_check" CHECK ("roster_imports"."ok_count" >= 0 and "roster_imports"."warning_count" >= 0 and "roster_imports"."error_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "subsidy_items" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"unit" text NOT NULL,
	"standard_amount_fen" integer NOT NULL,
	"period" text NOT NULL,
	"amount_basis" text DEFAULT 'fixed' NOT NULL,
	"means_tested" boolean DEFAULT false NOT NULL,
	"description" text,
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "subsidy_items_unit_check" CHECK ("subsidy_items"."unit" in ('household', 'person')),
	CONSTRAINT "subsidy_items_period_check" CHECK ("subsidy_items"."period" in ('month', 'quarter', 'half-year', 'year', 'once')),
	CONSTRAINT "subsidy_items_amount_basis_check" CHECK ("subsidy_items"."amount_basis" in ('fixed', 'per-mu', 'variable')),
	CONSTRAINT "subsidy_items_standard_check" CHECK ("subsidy_items"."standard_amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "check_form_versions" (
	"form_id" uuid NOT NULL,
	"rev" integer NOT NULL,
	"body" jsonb NOT NULL,
	"review_status" text NOT NULL,
	"review_comment" text,
	"mutation_id" uuid,
	"user_id" uuid NOT NULL,
	"device_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_form_versions_form_id_rev_pk" PRIMARY KEY("form_id","rev")
);
--> statement-breakpoint
CREATE TABLE "check_forms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text NOT NULL,
	"kind" text NOT NULL,
	"rev" integer NOT NULL,
	"body" jsonb NOT NULL,
	"review_status" text DEFAULT 'submitted' NOT NULL,
	"review_comment" text,
	"author_user_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	CONSTRAINT "check_forms_village_code_check" CHECK ("check_forms"."village_code" ~ '^[0-9]{12}$')
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"app_version" text,
	"last_push_at" timestamp with time zone,
	"last_pull_at" timestamp with time zone,
	"unsent_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_mutations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"counter" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_mutations_device_counter_key" UNIQUE("device_id","counter")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_holder_person_id_persons_id_fk" FOREIGN KEY ("holder_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_code_regions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_lines" ADD CONSTRAINT "payment_lines_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_items" ADD CONSTRAINT "subsidy_items_import_id_roster_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."roster_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blobs" ADD CONSTRAINT "blobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_form_versions" ADD CONSTRAINT "check_form_versions_form_id_check_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."check_forms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_form_versions" ADD CONSTRAINT "check_form_versions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_forms" ADD CONSTRAINT "check_forms_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD CONSTRAINT "sync_mutations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "accounts_village_xid_idx" ON "accounts" USING btree ("village_code","xid","number","bank_name");--> statement-breakpoint
CREATE INDEX "accounts_holder_person_id_idx" ON "accounts" USING btree ("holder_person_id");--> statement-breakpoint
CREATE INDEX "accounts_village_code_idx" ON "accounts" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "households_village_xid_idx" ON "households" USING btree ("village_code","xid","id");--> statement-breakpoint
CREATE INDEX "households_village_code_idx" ON "households" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "households_head_person_id_idx" ON "households" USING btree ("head_person_id");--> statement-breakpoint
CREATE INDEX "payment_lines_village_xid_idx" ON "payment_lines" USING btree ("village_code","xid","id");--> statement-breakpoint
CREATE INDEX "payment_lines_beneficiary_person_id_idx" ON "payment_lines" USING btree ("beneficiary_person_id");--> statement-breakpoint
CREATE INDEX "payment_lines_account_number_idx" ON "payment_lines" USING btree ("account_number");--> statement-breakpoint
CREATE INDEX "payment_lines_village_code_idx" ON "payment_lines" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "payment_lines_household_id_idx" ON "payment_lines" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "persons_village_xid_idx" ON "persons" USING btree ("village_code","xid","id");--> statement-breakpoint
CREATE INDEX "persons_village_code_idx" ON "persons" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "persons_household_id_idx" ON "persons" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "roster_imports_sha256_idx" ON "roster_imports" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "roster_imports_started_at_idx" ON "roster_imports" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "subsidy_items_xid_idx" ON "subsidy_items" USING btree ("xid","code");--> statement-breakpoint
CREATE INDEX "check_forms_village_xid_idx" ON "check_forms" USING btree ("village_code","xid","id");--> statement-breakpoint
CREATE INDEX "check_forms_household_idx" ON "check_forms" USING btree ("household_id");