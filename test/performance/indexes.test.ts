import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rows, sql } from '../../src/platform/db';

// Every foreign key has an index whose leading columns are the key's columns (in any order): reading a parent's
// children, and checking the key when a parent row is deleted, must not scan the child table. Read from pg_catalog
// of the migrated schema, on whichever database the suite runs (embedded or DATABASE_URL).

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || null, dataDir: 'memory' });
});
afterAll(() => database?.close());

interface Unindexed {
  table: string;
  constraint: string;
  definition: string;
}

/** Foreign keys (of `table`, else of every table in the schema) with no index led by their columns. */
function unindexedKeys(table?: string) {
  return rows<Unindexed>(
    database.db,
    sql`select c.conrelid::regclass::text as table, c.conname as constraint,
               pg_get_constraintdef(c.oid) as definition
        from pg_constraint c
        join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = current_schema()
          and (${table ?? null}::text is null or c.conrelid = ${table ?? null}::regclass)
          and not exists (
            select 1 from pg_index i
            where i.indrelid = c.conrelid and i.indpred is null
              and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
              and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
        order by 1, 2`,
  );
}

describe('indexes', () => {
  it('every foreign key has an index led by its columns', async () => {
    expect(await unindexedKeys()).toEqual([]);
  });

  it('the check sees a foreign key without an index, and not once it has one', async () => {
    // A table of this test's own, with an unindexed key, is reported; indexed, it is not; then it is dropped.
    const probe = `fk_probe_${process.pid}_${Date.now()}`;
    await database.db.execute(
      sql`create table ${sql.identifier(probe)} (id text primary key, org_id text references organizations(id))`,
    );
    try {
      expect((await unindexedKeys(probe)).map((u) => u.definition)).toEqual([
        'FOREIGN KEY (org_id) REFERENCES organizations(id)',
      ]);
      await database.db.execute(sql`create index on ${sql.identifier(probe)} (org_id, id)`);
      expect(await unindexedKeys(probe)).toEqual([]);
    } finally {
      await database.db.execute(sql`drop table ${sql.identifier(probe)}`);
    }
  });
});
