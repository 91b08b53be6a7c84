-- The work of a request with an Idempotency-Key marks the key's record in its own transaction (see idempotency.ts).
ALTER TABLE "idempotency_keys" ADD COLUMN "work_committed" boolean DEFAULT false NOT NULL;
