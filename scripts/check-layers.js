// The layer rules of DESIGN.md, checked on every `npm run lint`; each rule names what it protects:
//  1. pure domain files do no I/O: they import no database, HTTP, environment, store, worker or transport module;
//  2. pure domain files read no clock: no `new Date()` or `Date.now()` (time comes from the injected Clock);
//  3. routes are thin: they import no tables and no store (they call a capability's service);
//  4. money/ is the bottom layer: it imports nothing of Arbor outside money/;
//  5. platform/ knows no capability (except the composition roots that wire them together);
//  6. no cycles between capabilities (imports of another capability's tables.ts, the shared schema, aside).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../src');
const INFRA =
  /from '(drizzle-orm[^']*|pg|@electric-sql\/pglite|fastify[^']*|@fastify\/[^']*|nodemailer|pg-boss)'|from '[^']*\/(tables|service|db|http|server|outbox)'|from '[^']*-(store|worker|transport)'|process\.env/;
const CLOCK = /new Date\(\s*\)|Date\.now\(/;
const STORE = /from '[^']*(\/tables|-store)'/;
const NOT_PURE = new Set(['service.ts', 'routes.ts', 'tables.ts', 'schemas.ts', 'jobs.ts', 'worker.ts']);
// The composition roots: where capabilities are wired into the process (HTTP app, jobs, server).
const COMPOSITION_ROOTS = new Set(['platform/server.ts', 'platform/http.ts', 'platform/worker.ts']);
// Layers below every capability: they are not nodes of the capability graph.
const BELOW = new Set(['platform', 'money']);
// Known cycles still to untangle (each a follow-up); any other cycle fails.
const KNOWN_CYCLES = new Set(['orders -> quotes -> orders', 'quotes -> orders -> quotes']);
const problems = [];
const edges = new Map(); // capability -> Map(capability -> first file that imports it)

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.name.endsWith('.ts')) check(file);
  }
}

function capabilityOf(rel) {
  return rel.includes('/') ? rel.split('/')[0] : null;
}

function check(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const capability = capabilityOf(rel);
  const name = path.basename(file);
  const text = fs.readFileSync(file, 'utf8');
  const isTest = name.endsWith('.test.ts');
  // Type-only imports carry no code, so a pure file may name a table's row type.
  const code = text.replace(/^import type [^;]*;$/gm, '');
  if (name === 'routes.ts' && STORE.test(code))
    problems.push(`${rel}: a route imports a store or tables (${code.match(STORE)[0]}); call the service`);
  const isPureDomain =
    capability !== null &&
    !['platform', 'cli'].includes(capability) &&
    !NOT_PURE.has(name) &&
    !isTest &&
    !/-(store|worker|transport)\.ts$/.test(name);
  if (isPureDomain && INFRA.test(code))
    problems.push(
      `${rel}: pure domain file imports infrastructure (${code.match(INFRA)[0]}); I/O belongs in service.ts, routes.ts, tables.ts or *-store.ts / *-worker.ts / *-transport.ts`,
    );
  if (isPureDomain && CLOCK.test(code.replace(/\/\/.*$/gm, '')))
    problems.push(
      `${rel}: pure domain file reads the system clock (${code.match(CLOCK)[0]}); take the date as an argument`,
    );
  if (isTest || capability === null) return;
  for (const m of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
    const to = capabilityOf(target);
    if (capability === 'money' && to !== 'money')
      problems.push(`${rel}: money/ imports ${m[1]}; money is the bottom layer and imports nothing of Arbor`);
    if (capability === 'platform' && !BELOW.has(to) && !COMPOSITION_ROOTS.has(rel))
      problems.push(`${rel}: platform/ imports ${m[1]}; platform knows no capability`);
    if (!to || to === capability || target.endsWith('/tables') || BELOW.has(capability) || BELOW.has(to)) continue;
    if (!edges.has(capability)) edges.set(capability, new Map());
    if (!edges.get(capability).has(to)) edges.get(capability).set(to, rel);
  }
}

function cycles() {
  const found = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        if (KNOWN_CYCLES.has(loop.join(' -> '))) continue;
        found.push(
          loop.map((c, i) => (i < loop.length - 1 ? `${c} (${edges.get(c).get(loop[i + 1])})` : c)).join(' -> '),
        );
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

walk(root);
for (const loop of cycles()) problems.push(`capabilities import each other: ${loop}`);
if (problems.length) {
  console.error(`Layer rule broken:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('layers ok');
