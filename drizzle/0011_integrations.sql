CREATE TABLE "datev_debtor_accounts" (
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"number" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "datev_debtor_accounts_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id"),
	CONSTRAINT "datev_debtor_accounts_number" UNIQUE("org_id","number")
);
--> statement-breakpoint
CREATE TABLE "exports" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"from" date NOT NULL,
	"to" date NOT NULL,
	"only_new" boolean NOT NULL,
	"entries" integer NOT NULL,
	"lines" integer NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_line_exports" (
	"org_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"format" text NOT NULL,
	"export_id" text NOT NULL,
	CONSTRAINT "journal_line_exports_entry_id_line_no_export_id_pk" PRIMARY KEY("entry_id","line_no","export_id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "paid_before_import" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "opening_date" date;--> statement-breakpoint
CREATE INDEX "exports_org_created_idx" ON "exports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "journal_line_exports_format_idx" ON "journal_line_exports" USING btree ("entry_id","format");