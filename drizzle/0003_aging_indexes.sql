CREATE INDEX "invoices_open_aging_idx" ON "invoices" USING btree ("org_id","customer_id","due_date","amount_due") WHERE status = 'posted' and amount_due > 0;--> statement-breakpoint
CREATE INDEX "write_offs_org_idx" ON "write_offs" USING btree ("org_id","invoice_id","date");--> statement-breakpoint
CREATE INDEX "applications_org_idx" ON "applications" USING btree ("org_id","invoice_id","date");