import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

// The embedded database has one connection: a long job (a bill run) that goes from one transaction to the next
// without a pause keeps every HTTP request waiting until it ends. Between two of its units of work such a job calls
// yieldToRequests(): it lets requests that arrived meanwhile in, and waits while they are being answered (at most
// MAX_WAIT_MS at a time, so that steady traffic slows the job without stopping it).

const MAX_WAIT_MS = 1000;
let inFlight = 0;
let waiters: (() => void)[] = [];

function finished(): void {
  inFlight = Math.max(0, inFlight - 1);
  if (inFlight > 0) return;
  const ready = waiters;
  waiters = [];
  for (const wake of ready) wake();
}

/** Counts the app's requests in flight (embedded database only: on PostgreSQL jobs have connections of their own). */
export function registerRequestTracking(app: FastifyInstance): void {
  app.addHook('onRequest', async (_req, reply) => {
    inFlight++;
    reply.raw.once('close', finished);
  });
}

/** Between two units of a long job: lets pending requests in and waits (bounded) until they are answered. */
export async function yieldToRequests(): Promise<void> {
  await nextTurn();
  if (inFlight === 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, MAX_WAIT_MS);
    timer.unref();
    waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
