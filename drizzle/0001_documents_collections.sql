CREATE TABLE "reminders" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"step" integer NOT NULL,
	"offset_days" integer NOT NULL,
	"status" text NOT NULL,
	"as_of" date NOT NULL,
	"email_id" text,
	"late_fee_invoice_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emails" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"customer_id" text,
	"invoice_id" text,
	"kind" text NOT NULL,
	"to" jsonb NOT NULL,
	"cc" jsonb NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text NOT NULL,
	"attachments" jsonb NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "email_templates" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_invoice_step_idx" ON "reminders" USING btree ("invoice_id","step");--> statement-breakpoint
CREATE INDEX "reminders_org_idx" ON "reminders" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "emails_org_created_idx" ON "emails" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "emails_due_idx" ON "emails" USING btree ("next_attempt_at") WHERE status in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "emails_invoice_idx" ON "emails" USING btree ("invoice_id");