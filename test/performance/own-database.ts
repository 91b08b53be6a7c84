import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** A fresh PostgreSQL database beside DATABASE_URL's, for tests of processes that share one database; drop() removes it. */
export async function ownDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `arbor_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
