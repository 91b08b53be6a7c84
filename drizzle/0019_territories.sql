CREATE TABLE "territories" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL REFERENCES "organizations"("id"),
	"name" text NOT NULL,
	"parent_id" text REFERENCES "territories"("id"),
	"priority" integer NOT NULL DEFAULT 0,
	"rules" jsonb NOT NULL,
	"members" jsonb NOT NULL,
	"manager_id" text REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "territories_org_idx" ON "territories" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "territories_parent_idx" ON "territories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "territories_manager_idx" ON "territories" USING btree ("manager_id");--> statement-breakpoint
CREATE TABLE "territory_round_robin" (
	"territory_id" text NOT NULL REFERENCES "territories"("id") ON DELETE cascade,
	"user_id" text NOT NULL REFERENCES "users"("id"),
	"org_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "territory_round_robin_pk" PRIMARY KEY("territory_id","user_id")
);--> statement-breakpoint
CREATE INDEX "territory_round_robin_user_idx" ON "territory_round_robin" USING btree ("user_id");--> statement-breakpoint
CREATE TABLE "quotas" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL REFERENCES "organizations"("id"),
	"owner_id" text REFERENCES "users"("id"),
	"territory_id" text REFERENCES "territories"("id") ON DELETE cascade,
	"period" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "quotas_target_unique" ON "quotas" USING btree ("org_id",coalesce("owner_id", ''),coalesce("territory_id", ''),"period","currency");--> statement-breakpoint
CREATE INDEX "quotas_owner_idx" ON "quotas" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "quotas_territory_idx" ON "quotas" USING btree ("territory_id");--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "industry" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "employees" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "territory_id" text REFERENCES "territories"("id");--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "territory_source" text;--> statement-breakpoint
CREATE INDEX "customers_territory_idx" ON "customers" USING btree ("territory_id");
