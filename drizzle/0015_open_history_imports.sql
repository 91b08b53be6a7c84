-- Opening invoices imported from a previous system (integrations) count from their opening date, for what was still
-- due then (total less what was paid before the import): the balance history follows the ledger's opening entry.
CREATE OR REPLACE FUNCTION arbor_rebuild_open_history(ids text[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM invoice_open_history h USING unnest(ids) AS t(id) WHERE h.invoice_id = t.id;
  INSERT INTO invoice_open_history (invoice_id, org_id, customer_id, currency, due_date, valid_from, valid_to, open)
  WITH inv AS (
    SELECT i.id, i.org_id, i.customer_id, i.currency, i.due_date,
           coalesce(i.opening_date, i.issue_date) AS issue_date, i.total - i.paid_before_import AS total,
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
SELECT arbor_rebuild_open_history(array(SELECT id FROM invoices WHERE opening_date IS NOT NULL));
