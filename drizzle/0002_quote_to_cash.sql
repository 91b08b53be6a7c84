CREATE TABLE "bill_run_chunks" (
	"run_id" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"org_id" text NOT NULL,
	"subscription_ids" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"invoices_created" integer DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "bill_run_chunks_run_id_chunk_no_pk" PRIMARY KEY("run_id","chunk_no")
);
--> statement-breakpoint
CREATE TABLE "bill_run_errors" (
	"run_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"org_id" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_run_errors_run_id_subscription_id_pk" PRIMARY KEY("run_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "bill_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"target_date" date NOT NULL,
	"invoice_date" date,
	"auto_post" boolean,
	"auto_send" boolean,
	"trigger" text NOT NULL,
	"chunk_count" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "order_invoicings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_line_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"quantity" numeric,
	"percent" numeric,
	"amount" numeric NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_invoicings_quantity_or_percent" CHECK (("order_invoicings"."quantity" is null) <> ("order_invoicings"."percent" is null))
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"order_id" text NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"product_id" text,
	"quantity" numeric NOT NULL,
	"unit" text NOT NULL,
	"unit_price" numeric NOT NULL,
	"discount_percent" numeric,
	"tax_rate_id" text NOT NULL,
	"charge_type" text NOT NULL,
	"recurring_interval" text,
	"recurring_interval_count" integer,
	"amount" numeric NOT NULL,
	"subscription_id" text
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"number" text NOT NULL,
	"series" text NOT NULL,
	"seq" integer NOT NULL,
	"currency" text NOT NULL,
	"tax_behavior" text DEFAULT 'exclusive' NOT NULL,
	"quote_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"notes" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"number" text NOT NULL,
	"series" text NOT NULL,
	"seq" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"currency" text NOT NULL,
	"tax_behavior" text DEFAULT 'exclusive' NOT NULL,
	"valid_until" date,
	"start_date" date,
	"lines" jsonb NOT NULL,
	"tax_breakdown" jsonb NOT NULL,
	"subtotal" numeric NOT NULL,
	"tax_total" numeric NOT NULL,
	"total" numeric NOT NULL,
	"recurring_total_per_interval" numeric NOT NULL,
	"recurring_totals" jsonb NOT NULL,
	"notes" text,
	"hosted_token" text,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"order_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotes_hosted_token_unique" UNIQUE("hosted_token")
);
--> statement-breakpoint
CREATE TABLE "subscription_billings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"kind" text NOT NULL,
	"billing_date" date NOT NULL,
	"period_start" date,
	"period_end" date,
	"lines_end" date,
	"lines" jsonb NOT NULL,
	"invoice_id" text,
	"credit_note_id" text,
	"bill_run_id" text,
	"billed_through_before" date,
	"billed_through_after" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"item_id" text NOT NULL,
	"quantity" numeric NOT NULL,
	"date" date NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"order_id" text,
	"currency" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"interval" text NOT NULL,
	"interval_count" integer NOT NULL,
	"billing_day" integer NOT NULL,
	"timing" text NOT NULL,
	"proration" text NOT NULL,
	"items" jsonb NOT NULL,
	"billed_through" date,
	"next_billing_date" date,
	"pending_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"auto_post" boolean DEFAULT true NOT NULL,
	"auto_send" boolean DEFAULT false NOT NULL,
	"payment_terms_days" integer,
	"cancelled_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bill_run_chunks" ADD CONSTRAINT "bill_run_chunks_run_id_bill_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."bill_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_run_errors" ADD CONSTRAINT "bill_run_errors_run_id_bill_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."bill_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_runs" ADD CONSTRAINT "bill_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_invoicings" ADD CONSTRAINT "order_invoicings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_invoicings" ADD CONSTRAINT "order_invoicings_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_invoicings" ADD CONSTRAINT "order_invoicings_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_billings" ADD CONSTRAINT "subscription_billings_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_billings" ADD CONSTRAINT "subscription_billings_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_usage" ADD CONSTRAINT "subscription_usage_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bill_runs_org_created_idx" ON "bill_runs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bill_runs_daily_idx" ON "bill_runs" USING btree ("org_id","target_date") WHERE "trigger" = 'schedule';--> statement-breakpoint
CREATE INDEX "order_invoicings_line_idx" ON "order_invoicings" USING btree ("order_line_id");--> statement-breakpoint
CREATE INDEX "order_invoicings_invoice_idx" ON "order_invoicings" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "order_lines_order_idx" ON "order_lines" USING btree ("order_id","position");--> statement-breakpoint
CREATE INDEX "orders_org_created_idx" ON "orders" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_idx" ON "orders" USING btree ("org_id","series","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_quote_idx" ON "orders" USING btree ("quote_id");--> statement-breakpoint
CREATE INDEX "quotes_org_created_idx" ON "quotes" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_number_idx" ON "quotes" USING btree ("org_id","series","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_billings_once_idx" ON "subscription_billings" USING btree ("subscription_id","billing_date") WHERE kind = 'period';--> statement-breakpoint
CREATE INDEX "subscription_billings_sub_idx" ON "subscription_billings" USING btree ("subscription_id","lines_end");--> statement-breakpoint
CREATE INDEX "subscription_billings_run_idx" ON "subscription_billings" USING btree ("bill_run_id");--> statement-breakpoint
CREATE INDEX "subscription_usage_sub_date_idx" ON "subscription_usage" USING btree ("subscription_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_usage_key_idx" ON "subscription_usage" USING btree ("subscription_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "subscriptions_org_created_idx" ON "subscriptions" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE INDEX "subscriptions_due_idx" ON "subscriptions" USING btree ("org_id","next_billing_date") WHERE next_billing_date is not null;