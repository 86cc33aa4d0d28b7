CREATE TABLE "coverage_households" (
	"household_id" text PRIMARY KEY NOT NULL,
	"village_code" text NOT NULL,
	"form_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"persons_covered" integer NOT NULL,
	"items_covered" integer NOT NULL,
	"author_user_id" uuid NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coverage_villages" (
	"village_code" text PRIMARY KEY NOT NULL,
	"households" integer NOT NULL,
	"persons" integer NOT NULL,
	"items" integer NOT NULL,
	"visited" integer DEFAULT 0 NOT NULL,
	"not_found" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"persons_covered" integer DEFAULT 0 NOT NULL,
	"items_covered" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "coverage_households_village_idx" ON "coverage_households" USING btree ("village_code");--> statement-breakpoint
-- A person's surrogate key, as forms carry it: personKey() of src/server/privacy/keys.ts in SQL
-- (privacy-sql.ts's personKeySql; a test holds the three equal).
CREATE OR REPLACE FUNCTION ykt_person_key(citizen_id text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'p' || substr(translate(encode(sha256(convert_to((SELECT value FROM server_secrets WHERE name = 'person-key') || '|p|' || citizen_id, 'UTF8')), 'base64'), '+/', '-_'), 1, 11)
$$;
--> statement-breakpoint
-- What each household's latest cadre form covers, computed from the form and the roster
-- (the rule of src/shared/domain/coverage.ts; a form names a person by key, an older one by
-- citizen ID). DISTINCT ON (village_code, household_id): a filter on either is pushed into
-- the view, so one household or one area costs only its rows.
CREATE VIEW coverage_households_now AS
SELECT DISTINCT ON (f.village_code, f.household_id)
  f.household_id,
  f.village_code,
  f.id AS form_id,
  f.body->>'outcome' AS outcome,
  (SELECT count(*)::int FROM persons p
    WHERE p.household_id = f.household_id
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(f.body->'members') m
        WHERE m->>'personId' IN (p.id, ykt_person_key(p.id)) AND jsonb_typeof(m->'present') = 'boolean' AND jsonb_typeof(m->'status') = 'string')) AS persons_covered,
  (SELECT count(*)::int FROM (SELECT DISTINCT pl.beneficiary_person_id, pl.item_code FROM payment_lines pl WHERE pl.household_id = f.household_id) pr
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(f.body->'items') i
      WHERE i->>'personId' IN (pr.beneficiary_person_id, ykt_person_key(pr.beneficiary_person_id)) AND i->>'itemCode' = pr.item_code AND jsonb_typeof(i->'received') = 'string')) AS items_covered,
  f.author_user_id,
  f.updated_at AS checked_at
FROM check_forms f
WHERE f.kind = 'cadre'
ORDER BY f.village_code, f.household_id, f.updated_at DESC, f.id;
--> statement-breakpoint
-- The sums of the given villages' coverage_households onto their coverage_villages rows. The
-- rows are locked first (in code order, so two writers cannot deadlock) and summed in the next
-- statement, whose fresh snapshot sees whatever a writer that held the lock committed.
CREATE OR REPLACE FUNCTION ykt_coverage_rollup(villages text[]) RETURNS void LANGUAGE sql AS $$
  SELECT count(*) FROM (SELECT 1 FROM coverage_villages WHERE village_code = ANY(villages) ORDER BY village_code FOR UPDATE) locked;
  UPDATE coverage_villages v SET visited = s.visited, not_found = s.not_found, refused = s.refused, persons_covered = s.persons_covered, items_covered = s.items_covered
  FROM (
    SELECT x.code,
      count(c.household_id)::int AS visited,
      count(*) FILTER (WHERE c.outcome = 'not-found')::int AS not_found,
      count(*) FILTER (WHERE c.outcome = 'refused')::int AS refused,
      coalesce(sum(c.persons_covered), 0)::int AS persons_covered,
      coalesce(sum(c.items_covered), 0)::int AS items_covered
    FROM unnest(villages) AS x(code) LEFT JOIN coverage_households c ON c.village_code = x.code
    GROUP BY x.code
  ) s
  WHERE v.village_code = s.code;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ykt_coverage_upsert(ids text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO coverage_households (household_id, village_code, form_id, outcome, persons_covered, items_covered, author_user_id, checked_at)
  SELECT household_id, village_code, form_id, outcome, persons_covered, items_covered, author_user_id, checked_at
  FROM coverage_households_now WHERE household_id = ANY(ids)
  ON CONFLICT (household_id) DO UPDATE SET village_code = excluded.village_code, form_id = excluded.form_id, outcome = excluded.outcome,
    persons_covered = excluded.persons_covered, items_covered = excluded.items_covered, author_user_id = excluded.author_user_id, checked_at = excluded.checked_at;
  SELECT ykt_coverage_rollup(ARRAY(SELECT DISTINCT c.village_code FROM unnest(ids) AS x(id) JOIN coverage_households c ON c.household_id = x.id));
$$;
--> statement-breakpoint
-- Every write of cadre forms, whatever its path (push, review, resolve), updates their households' rows in the same statement.
CREATE OR REPLACE FUNCTION ykt_coverage_on_forms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ykt_coverage_upsert(ARRAY(SELECT DISTINCT household_id FROM changed WHERE kind = 'cadre'));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER check_forms_coverage_insert AFTER INSERT ON check_forms REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ykt_coverage_on_forms();
--> statement-breakpoint
CREATE TRIGGER check_forms_coverage_update AFTER UPDATE ON check_forms REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ykt_coverage_on_forms();
--> statement-breakpoint
-- An area counted again against the roster (after an import): its households, its villages' totals
-- and their sums; lo <= village_code < hi (hi null: no upper bound).
CREATE OR REPLACE FUNCTION ykt_coverage_refresh_area(lo text, hi text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM coverage_households c WHERE c.village_code >= lo AND (hi IS NULL OR c.village_code < hi)
    AND NOT EXISTS (SELECT 1 FROM check_forms f WHERE f.household_id = c.household_id AND f.kind = 'cadre');
  INSERT INTO coverage_households (household_id, village_code, form_id, outcome, persons_covered, items_covered, author_user_id, checked_at)
  SELECT household_id, village_code, form_id, outcome, persons_covered, items_covered, author_user_id, checked_at
  FROM coverage_households_now WHERE village_code >= lo AND (hi IS NULL OR village_code < hi)
  ON CONFLICT (household_id) DO UPDATE SET village_code = excluded.village_code, form_id = excluded.form_id, outcome = excluded.outcome,
    persons_covered = excluded.persons_covered, items_covered = excluded.items_covered, author_user_id = excluded.author_user_id, checked_at = excluded.checked_at;
  -- The roster's totals per village of the area.
  INSERT INTO coverage_villages (village_code, households, persons, items, refreshed_at)
  SELECT r.code,
    (SELECT count(*)::int FROM households h WHERE h.village_code = r.code),
    (SELECT count(*)::int FROM persons p WHERE p.village_code = r.code),
    (SELECT count(*)::int FROM (SELECT DISTINCT pl.beneficiary_person_id, pl.item_code FROM payment_lines pl WHERE pl.village_code = r.code) x),
    now()
  FROM regions r WHERE r.level = 'village' AND r.code >= lo AND (hi IS NULL OR r.code < hi)
  ON CONFLICT (village_code) DO UPDATE SET households = excluded.households, persons = excluded.persons, items = excluded.items, refreshed_at = excluded.refreshed_at;
  SELECT ykt_coverage_rollup(ARRAY(SELECT code FROM regions WHERE level = 'village' AND code >= lo AND (hi IS NULL OR code < hi)));
$$;
--> statement-breakpoint
SELECT ykt_coverage_refresh_area('', NULL);
