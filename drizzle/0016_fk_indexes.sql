DROP INDEX IF EXISTS "checkout_sessions_invoice_idx";--> statement-breakpoint
CREATE INDEX "checkout_sessions_invoice_idx" ON "checkout_sessions" USING btree ("invoice_id","org_id");--> statement-breakpoint
CREATE INDEX "stripe_payments_org_idx" ON "stripe_payments" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "customer_ibans_customer_idx" ON "customer_ibans" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "bank_lines_statement_idx" ON "bank_lines" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "checkout_sessions_org_idx" ON "checkout_sessions" USING btree ("org_id","created_at");
