CREATE TABLE "bank_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"iban" text,
	"bic" text,
	"currency" text NOT NULL,
	"ledger_account" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"bank_account_id" text NOT NULL,
	"statement_id" text NOT NULL,
	"position" integer NOT NULL,
	"booking_date" date NOT NULL,
	"value_date" date,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"counterparty_name" text,
	"counterparty_iban" text,
	"reference" text,
	"end_to_end_id" text,
	"bank_reference" text,
	"dedup_key" text NOT NULL,
	"status" text NOT NULL,
	"payment_id" text,
	"refund_id" text,
	"match" jsonb,
	"suggestions" jsonb NOT NULL,
	"held_by_person" boolean DEFAULT false NOT NULL,
	"ignore_reason" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_statements" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"bank_account_id" text NOT NULL,
	"format" text NOT NULL,
	"file_sha256" text NOT NULL,
	"statement_id" text,
	"from_date" date,
	"to_date" date,
	"opening_balance" numeric,
	"closing_balance" numeric,
	"starting_balance" numeric,
	"balance_check" text NOT NULL,
	"lines_imported" integer NOT NULL,
	"lines_duplicate" integer NOT NULL,
	"lines_pending_skipped" integer NOT NULL,
	"matched_automatically" integer DEFAULT 0 NOT NULL,
	"suggested" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csv_mappings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_ibans" (
	"org_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"iban" text NOT NULL,
	"learned" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "bank_account_id" text;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD CONSTRAINT "bank_accounts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_lines" ADD CONSTRAINT "bank_lines_bank_account_id_bank_accounts_id_fk" FOREIGN KEY ("bank_account_id") REFERENCES "public"."bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_lines" ADD CONSTRAINT "bank_lines_statement_id_bank_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."bank_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_bank_account_id_bank_accounts_id_fk" FOREIGN KEY ("bank_account_id") REFERENCES "public"."bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_ibans" ADD CONSTRAINT "customer_ibans_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bank_accounts_org_idx" ON "bank_accounts" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bank_lines_dedup_idx" ON "bank_lines" USING btree ("bank_account_id","dedup_key");--> statement-breakpoint
CREATE INDEX "bank_lines_org_idx" ON "bank_lines" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "bank_lines_account_date_idx" ON "bank_lines" USING btree ("bank_account_id","booking_date");--> statement-breakpoint
CREATE INDEX "bank_lines_payment_idx" ON "bank_lines" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bank_statements_file_idx" ON "bank_statements" USING btree ("bank_account_id","file_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_ibans_key" ON "customer_ibans" USING btree ("org_id","customer_id","iban");--> statement-breakpoint
CREATE INDEX "customer_ibans_iban_idx" ON "customer_ibans" USING btree ("org_id","iban");