CREATE TABLE "activities" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"type" text NOT NULL,
	"subject" text NOT NULL,
	"body" text,
	"due_date" date,
	"done_at" timestamp with time zone,
	"owner_id" text,
	"related_type" text,
	"related_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_org_idx" ON "activities" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "activities_owner_idx" ON "activities" USING btree ("owner_id","org_id","due_date");--> statement-breakpoint
CREATE INDEX "activities_related_idx" ON "activities" USING btree ("related_id","org_id");--> statement-breakpoint
CREATE TABLE "payment_promises" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"amount" numeric NOT NULL,
	"date" date NOT NULL,
	"note" text,
	"status" text NOT NULL,
	"created_on" date NOT NULL,
	"created_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_promises" ADD CONSTRAINT "payment_promises_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_promises_invoice_idx" ON "payment_promises" USING btree ("invoice_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_promises_open_idx" ON "payment_promises" USING btree ("invoice_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "payment_promises_open_date_idx" ON "payment_promises" USING btree ("org_id","date") WHERE status = 'open';
