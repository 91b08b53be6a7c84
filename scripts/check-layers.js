// The layer rule of DESIGN.md, checked: pure domain files import no database, HTTP or environment module,
// and routes never import tables.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../src');
const INFRA =
  /from '(drizzle-orm[^']*|pg|@electric-sql\/pglite|fastify[^']*|@fastify\/[^']*|nodemailer|pg-boss)'|from '[^']*\/(tables|service|db|http|server)'|process\.env/;
const NOT_PURE = new Set(['service.ts', 'routes.ts', 'tables.ts', 'schemas.ts', 'jobs.ts', 'worker.ts']);
const problems = [];

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.name.endsWith('.ts')) check(file);
  }
}

function check(file) {
  const rel = path.relative(root, file);
  const [capability] = rel.split(path.sep);
  const name = path.basename(file);
  const text = fs.readFileSync(file, 'utf8');
  if (name === 'routes.ts' && /from '[^']*\/tables'/.test(text)) problems.push(`${rel}: routes must not import tables`);
  const isPureDomain =
    !['platform', 'cli'].includes(capability) &&
    !NOT_PURE.has(name) &&
    !name.endsWith('.test.ts') &&
    !/-(store|worker|transport)\.ts$/.test(name) &&
    rel.includes(path.sep);
  // Type-only imports carry no code, so a pure file may name a table's row type.
  const code = text.replace(/^import type .*$/gm, '');
  if (isPureDomain && INFRA.test(code))
    problems.push(
      `${rel}: pure domain file imports infrastructure (${code.match(INFRA)[0]}); I/O belongs in service.ts, routes.ts, tables.ts or *-store.ts / *-worker.ts / *-transport.ts`,
    );
}

walk(root);
if (problems.length) {
  console.error(`Layer rule broken:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('layers ok');
