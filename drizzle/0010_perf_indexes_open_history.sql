CREATE TABLE "invoice_open_history" (
	"invoice_id" text NOT NULL,
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"due_date" date,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"open" numeric NOT NULL
);
--> statement-breakpoint
DROP INDEX "customers_owner_idx";--> statement-breakpoint
DROP INDEX "invoices_customer_idx";--> statement-breakpoint
DROP INDEX "orders_customer_idx";--> statement-breakpoint
DROP INDEX "payments_customer_idx";--> statement-breakpoint
DROP INDEX "quotes_customer_idx";--> statement-breakpoint
DROP INDEX "subscriptions_customer_idx";--> statement-breakpoint
ALTER TABLE "invoice_open_history" ADD CONSTRAINT "invoice_open_history_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_open_history_invoice_idx" ON "invoice_open_history" USING btree ("invoice_id","valid_from");--> statement-breakpoint
CREATE INDEX "invoice_open_history_aging_idx" ON "invoice_open_history" USING btree ("org_id","valid_to","valid_from","customer_id","due_date","open") WHERE open > 0;--> statement-breakpoint
CREATE INDEX "products_tax_rate_idx" ON "products" USING btree ("tax_rate_id");--> statement-breakpoint
CREATE INDEX "credit_notes_customer_idx" ON "credit_notes" USING btree ("customer_id","org_id");--> statement-breakpoint
CREATE INDEX "journal_lines_entry_idx" ON "journal_lines" USING btree ("entry_id","line_no");--> statement-breakpoint
CREATE INDEX "order_invoicings_order_idx" ON "order_invoicings" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_source_idx" ON "refunds" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "users_org_idx" ON "users" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "subscription_billings_invoice_idx" ON "subscription_billings" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("owner_id","org_id");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id","org_id");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id","org_id");--> statement-breakpoint
CREATE INDEX "payments_customer_idx" ON "payments" USING btree ("customer_id","org_id");--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("customer_id","org_id");--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("customer_id","org_id");--> statement-breakpoint
-- The dated balance history (invoice_open_history) is rebuilt, per invoice touched, by statement triggers on
-- invoices, applications and write_offs: the spans start at the issue date and at every application date,
-- reversal date and write-off date, and end at the void or uncollectible date. The open amount of a span is the one
-- reports/aging-store.ts openAmountsAsOf computes for its first day.
CREATE FUNCTION arbor_rebuild_open_history(ids text[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM invoice_open_history h USING unnest(ids) AS t(id) WHERE h.invoice_id = t.id;
  INSERT INTO invoice_open_history (invoice_id, org_id, customer_id, currency, due_date, valid_from, valid_to, open)
  WITH inv AS (
    SELECT i.id, i.org_id, i.customer_id, i.currency, i.due_date, i.issue_date, i.total,
           least(coalesce(i.voided_on, 'infinity'::date), coalesce(i.uncollectible_on, 'infinity'::date)) AS end_on
    FROM (SELECT DISTINCT t.id FROM unnest(ids) AS t(id)) t
    JOIN invoices i ON i.id = t.id
    WHERE i.status <> 'draft' AND i.issue_date IS NOT NULL
  ), points AS (
    SELECT inv.id, inv.issue_date AS d FROM inv
    UNION SELECT a.invoice_id, a.date FROM applications a JOIN inv ON inv.id = a.invoice_id
    UNION SELECT a.invoice_id, a.reversed_on FROM applications a JOIN inv ON inv.id = a.invoice_id
          WHERE a.reversed_on IS NOT NULL
    UNION SELECT w.invoice_id, w.date FROM write_offs w JOIN inv ON inv.id = w.invoice_id
  ), spans AS (
    SELECT inv.*, p.d, lead(p.d) OVER (PARTITION BY p.id ORDER BY p.d) AS next
    FROM inv JOIN points p ON p.id = inv.id
    WHERE p.d >= inv.issue_date AND p.d < inv.end_on
  )
  SELECT s.id, s.org_id, s.customer_id, s.currency, s.due_date, s.d, least(coalesce(s.next, 'infinity'::date), s.end_on),
         s.total
         - coalesce((SELECT sum(a.amount) FROM applications a
                     WHERE a.invoice_id = s.id AND a.date <= s.d AND (a.reversed_on IS NULL OR a.reversed_on > s.d)), 0)
         - coalesce((SELECT sum(w.amount) FROM write_offs w WHERE w.invoice_id = s.id AND w.date <= s.d), 0)
  FROM spans s;
$$;
--> statement-breakpoint
CREATE FUNCTION arbor_open_history_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Applications and write-offs: the invoices whose rows were inserted, updated or deleted.
  IF TG_OP = 'INSERT' THEN
    PERFORM arbor_rebuild_open_history(ARRAY(SELECT invoice_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM arbor_rebuild_open_history(ARRAY(SELECT invoice_id FROM new_rows UNION SELECT invoice_id FROM old_rows));
  ELSE
    PERFORM arbor_rebuild_open_history(ARRAY(SELECT invoice_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION arbor_open_history_of_invoices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Invoices: those posted, or whose dates, total, customer or void/uncollectible dates changed (not the many
  -- updates of balances, sending and views, which the applications and write-offs already account for).
  IF TG_OP = 'INSERT' THEN
    PERFORM arbor_rebuild_open_history(ARRAY(SELECT id FROM new_rows WHERE status <> 'draft'));
  ELSE
    PERFORM arbor_rebuild_open_history(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.status = 'draft') IS DISTINCT FROM (o.status = 'draft')
         OR n.issue_date IS DISTINCT FROM o.issue_date OR n.due_date IS DISTINCT FROM o.due_date
         OR n.total IS DISTINCT FROM o.total OR n.customer_id IS DISTINCT FROM o.customer_id
         OR n.currency IS DISTINCT FROM o.currency OR n.voided_on IS DISTINCT FROM o.voided_on
         OR n.uncollectible_on IS DISTINCT FROM o.uncollectible_on));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER invoices_open_history_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_invoices();
--> statement-breakpoint
CREATE TRIGGER invoices_open_history_update AFTER UPDATE ON invoices REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_invoices();
--> statement-breakpoint
CREATE TRIGGER applications_open_history_insert AFTER INSERT ON applications REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
CREATE TRIGGER applications_open_history_update AFTER UPDATE ON applications REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
CREATE TRIGGER applications_open_history_delete AFTER DELETE ON applications REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
CREATE TRIGGER write_offs_open_history_insert AFTER INSERT ON write_offs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
CREATE TRIGGER write_offs_open_history_update AFTER UPDATE ON write_offs REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
CREATE TRIGGER write_offs_open_history_delete AFTER DELETE ON write_offs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arbor_open_history_of_rows();
--> statement-breakpoint
-- The history of the invoices already there.
SELECT arbor_rebuild_open_history(ARRAY(SELECT id FROM invoices WHERE status <> 'draft'));
