-- Keep each synced row's xid equal to the transaction that last wrote it.
-- Inserts take the column default (pg_current_xact_id()); updates need this
-- trigger. Pull serves rows in (xid, key) order below pg_snapshot_xmin, so a
-- transaction that commits late is picked up on a later pull, never skipped.
CREATE OR REPLACE FUNCTION ykt_set_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.xid := pg_current_xact_id();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subsidy_items_set_xid BEFORE UPDATE ON subsidy_items FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
--> statement-breakpoint
CREATE TRIGGER households_set_xid BEFORE UPDATE ON households FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
--> statement-breakpoint
CREATE TRIGGER persons_set_xid BEFORE UPDATE ON persons FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
--> statement-breakpoint
CREATE TRIGGER accounts_set_xid BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
--> statement-breakpoint
CREATE TRIGGER payment_lines_set_xid BEFORE UPDATE ON payment_lines FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
--> statement-breakpoint
CREATE TRIGGER check_forms_set_xid BEFORE UPDATE ON check_forms FOR EACH ROW EXECUTE FUNCTION ykt_set_xid();
