import { randomUUID } from 'node:crypto';
import { setupOrganization } from '../src/organizations/service';
import type { Clock } from '../src/platform/clock';
import type { RequestContext } from '../src/platform/context';
import { type Database, type Db, sql } from '../src/platform/db';

// What every workload gets and gives back. A workload is a file bench/<name>.ts exporting a Workload; bench/run.ts
// lists them. Each measures our code and a baseline in the same run, on the same database, and reports the ratio.

export interface BenchContext {
  database: Database;
  /** DATABASE_URL when the bench runs on PostgreSQL (baselines open their own connections to it). */
  databaseUrl: string | null;
  db: Db;
  /** BENCH_SCALE (default 1): multiply the DESIGN.md sizes by it. */
  scale: number;
  /** The clock of the service layer; today is its date (UTC). */
  clock: Clock;
  today: string;
  log(line: string): void;
}

export interface Figure {
  /** Key in the final JSON line, e.g. "aging_today". */
  workload: string;
  ours: number;
  baseline: number;
  /** e.g. "invoices/s" or "ms". */
  unit: string;
  /** ours ÷ baseline. */
  ratio: number;
  /** The DESIGN.md goal for the ratio, e.g. ">= 0.5" or "<= 1.5". */
  goal: string;
}

export interface Workload {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export const scaled = (ctx: BenchContext, n: number) => Math.max(1, Math.round(n * ctx.scale));

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, ratio: Number((f.ours / f.baseline).toFixed(3)) };
}

export function meetsGoal(f: Figure): boolean {
  const [op, value] = f.goal.split(' ') as ['>=' | '<=', string];
  return op === '>=' ? f.ratio >= Number(value) : f.ratio <= Number(value);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A fresh organization for one workload, with a service-layer context acting as the system. */
export async function benchOrganization(ctx: BenchContext, name: string): Promise<RequestContext> {
  const { organization } = await setupOrganization(ctx, {
    orgName: `Bench ${name}`,
    currency: 'EUR',
    email: `bench-${name}-${randomUUID()}@bench.arbor`,
    password: 'bench password',
    add: true,
  });
  return {
    db: ctx.db,
    orgId: organization.id,
    actor: { type: 'system', id: null },
    role: 'admin',
    userId: null,
    clock: ctx.clock,
    today: ctx.today,
    publicUrl: 'http://localhost:3000',
  };
}

/** Removes what a workload wrote for its organization (a shared PostgreSQL keeps no bench data; BENCH_KEEP=1 keeps it). */
export async function dropOrganizationData(db: Db, orgId: string): Promise<void> {
  if (process.env.BENCH_KEEP) return;
  for (const table of [
    'applications',
    'write_offs',
    'journal_lines',
    'journal_entries',
    'events',
    'invoices',
    'number_series',
    'customers',
  ])
    await db.execute(sql`delete from ${sql.identifier(table)} where org_id = ${orgId}`);
}
