import { clockFor } from '../src/platform/clock';
import { loadConfig } from '../src/platform/config';
import { openDatabase } from '../src/platform/db';
import { aging } from './aging';
import { api } from './api';
import { billRun } from './bill-run';
import { billRunLatency } from './bill-run-latency';
import { type BenchContext, type Figure, meetsGoal, type Workload } from './harness';
import { pdf } from './pdf';
import { posting } from './posting';

// `npm run bench`: the DESIGN.md "Performance" workloads against DATABASE_URL when set, else an embedded database in
// memory. BENCH_SCALE scales the sizes (default 1); BENCH_ONLY=aging,posting runs some. Each workload prints its
// figure, its baseline and the ratio; the last line is one JSON object of all of them.
// To add a workload: write bench/<name>.ts exporting a Workload (see harness.ts) and list it here.

const WORKLOADS: Workload[] = [posting, aging, billRun, pdf, api, billRunLatency];

const scale = Number(process.env.BENCH_SCALE ?? 1);
if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number (got ${process.env.BENCH_SCALE}).`);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? '' : 'memory' });
// The same calendar on every run (ARBOR_NOW moves it), so that figures compare across days.
const clock = clockFor(config.now ?? '2026-06-30T12:00:00Z');
const ctx: BenchContext = {
  database,
  databaseUrl: config.databaseUrl,
  db: database.db,
  scale,
  clock,
  today: clock.now().toISOString().slice(0, 10),
  log: (line) => console.log(line),
};

console.log(`bench: ${database.kind} database, scale ${scale}`);
const figures: Figure[] = [];
try {
  for (const workload of WORKLOADS.filter((w) => !only || only.includes(w.name))) {
    for (const f of await workload.run(ctx)) {
      figures.push(f);
      console.log(
        `${f.workload}: ours ${f.ours} ${f.unit}, baseline ${f.baseline} ${f.unit}, ratio ${f.ratio} (goal ${f.goal}: ${meetsGoal(f) ? 'met' : 'MISSED'})`,
      );
    }
  }
} finally {
  await database.close();
}
console.log(
  JSON.stringify(
    Object.fromEntries(
      figures.map((f) => [f.workload, { ours: f.ours, baseline: f.baseline, unit: f.unit, ratio: f.ratio }]),
    ),
  ),
);
