CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"done_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "outbox" ("id", "org_id", "topic", "key", "payload", "status", "attempts", "available_at", "locked_until", "created_at")
SELECT 'obx_' || "id", "org_id", 'email.deliver', "id", jsonb_build_object('email', "id"),
  CASE WHEN "status" = 'sending' THEN 'processing' ELSE 'pending' END, "attempts", "next_attempt_at", "locked_until", "created_at"
FROM "emails" WHERE "status" IN ('queued', 'sending');--> statement-breakpoint
DROP INDEX "emails_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("topic","available_at") WHERE status in ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "outbox_key_idx" ON "outbox" USING btree ("topic","key");--> statement-breakpoint
ALTER TABLE "emails" DROP COLUMN "next_attempt_at";--> statement-breakpoint
ALTER TABLE "emails" DROP COLUMN "locked_until";