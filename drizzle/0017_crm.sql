-- CRM (API.md "CRM"): pipeline stages, opportunities with their stage history, leads; quotes made from opportunities.
CREATE TABLE "pipeline_stages" (
  "id" text PRIMARY KEY NOT NULL,
  "org_id" text NOT NULL REFERENCES "organizations"("id"),
  "name" text NOT NULL,
  "position" integer NOT NULL,
  "probability" integer NOT NULL,
  "forecast_category" text NOT NULL,
  "kind" text NOT NULL,
  "active" boolean DEFAULT true NOT NULL,
  "created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "pipeline_stages_org_position_idx" ON "pipeline_stages" ("org_id", "position");
--> statement-breakpoint
CREATE TABLE "opportunities" (
  "id" text PRIMARY KEY NOT NULL,
  "org_id" text NOT NULL REFERENCES "organizations"("id"),
  "name" text NOT NULL,
  "customer_id" text NOT NULL REFERENCES "customers"("id"),
  "contact_id" text,
  "owner_id" text,
  "territory_id" text,
  "stage_id" text NOT NULL REFERENCES "pipeline_stages"("id"),
  "status" text NOT NULL,
  "probability" integer,
  "forecast_category" text,
  "amount" numeric NOT NULL,
  "mrr" numeric NOT NULL,
  "currency" text NOT NULL,
  "close_date" date,
  "next_step" text,
  "next_step_date" date,
  "lost_reason" text,
  "lines" jsonb NOT NULL,
  "quote_id" text,
  "closed_on" date,
  "created_by" text,
  "created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "opportunities_org_created_idx" ON "opportunities" ("org_id", "created_at");
--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "opportunities" ("customer_id", "org_id");
--> statement-breakpoint
CREATE INDEX "opportunities_stage_idx" ON "opportunities" ("stage_id");
--> statement-breakpoint
CREATE INDEX "opportunities_org_status_idx" ON "opportunities" ("org_id", "status", "close_date");
--> statement-breakpoint
CREATE TABLE "opportunity_stage_history" (
  "id" text PRIMARY KEY NOT NULL,
  "org_id" text NOT NULL,
  "opportunity_id" text NOT NULL REFERENCES "opportunities"("id") ON DELETE cascade,
  "stage_id" text NOT NULL REFERENCES "pipeline_stages"("id"),
  "from" timestamp with time zone NOT NULL,
  "to" timestamp with time zone,
  "amount" numeric NOT NULL,
  "probability" integer NOT NULL,
  "close_date" date,
  "by" text
);
--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_opp_idx" ON "opportunity_stage_history" ("opportunity_id", "from");
--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_org_idx" ON "opportunity_stage_history" ("org_id", "from");
--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_stage_idx" ON "opportunity_stage_history" ("stage_id");
--> statement-breakpoint
CREATE TABLE "leads" (
  "id" text PRIMARY KEY NOT NULL,
  "org_id" text NOT NULL REFERENCES "organizations"("id"),
  "name" text,
  "company" text,
  "email" text,
  "phone" text,
  "title" text,
  "website" text,
  "country" text,
  "region" text,
  "postal_code" text,
  "industry" text,
  "employees" integer,
  "source" text NOT NULL,
  "status" text NOT NULL,
  "disqualify_reason" text,
  "owner_id" text,
  "territory_id" text,
  "territory_source" text,
  "score" integer DEFAULT 0 NOT NULL,
  "score_reasons" jsonb NOT NULL,
  "estimated_value" numeric,
  "currency" text,
  "notes" text,
  "converted_customer_id" text,
  "converted_contact_id" text,
  "converted_opportunity_id" text,
  "converted_at" timestamp with time zone,
  "converted_on" date,
  "created_by" text,
  "created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leads_org_created_idx" ON "leads" ("org_id", "created_at");
--> statement-breakpoint
CREATE INDEX "leads_org_email_idx" ON "leads" ("org_id", "email");
--> statement-breakpoint
CREATE INDEX "leads_org_status_idx" ON "leads" ("org_id", "status");
--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "opportunity_id" text;
--> statement-breakpoint
-- Every organization has a lead form key (shown in settings, replaced by rotation).
UPDATE "organizations" SET "settings" = jsonb_set("settings", '{lead_form_key}', to_jsonb(md5(random()::text || "id")))
WHERE NOT ("settings" ? 'lead_form_key') OR "settings"->>'lead_form_key' IS NULL;
