import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Command } from 'commander';
import { loadConfig } from '../platform/config';
import { lockDataDir } from '../platform/lock';

function embeddedOnly(): { dataDir: string } {
  const config = loadConfig();
  if (config.databaseUrl)
    throw new Error('backup and restore are for the embedded database; for PostgreSQL use pg_dump and pg_restore.');
  return config;
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description('Write a consistent copy of the embedded database to FILE (a .tar.gz)')
    .action(async (file: string) => {
      const { dataDir } = embeddedOnly();
      const release = lockDataDir(dataDir);
      try {
        const db = new PGlite(path.join(dataDir, 'pg'));
        const dump = await db.dumpDataDir('gzip');
        await db.close();
        fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
        console.log(`Backup written to ${file} (${fs.statSync(file).size} bytes).`);
      } finally {
        release();
      }
    });

  program
    .command('restore <file>')
    .description('Replace the embedded database with a backup (refuses a non-empty database without --force)')
    .option('--force', 'overwrite a database that has data')
    .action(async (file: string, opts: { force?: boolean }) => {
      const { dataDir } = embeddedOnly();
      if (!fs.existsSync(file)) throw new Error(`No backup file ${file}.`);
      const release = lockDataDir(dataDir);
      try {
        const pgDir = path.join(dataDir, 'pg');
        if (fs.existsSync(pgDir) && !opts.force) {
          const current = new PGlite(pgDir);
          const result = await current.query<{ n: number }>(
            "select count(*)::int as n from information_schema.tables where table_name = 'organizations'",
          );
          const hasData = result.rows[0]?.n
            ? ((await current.query<{ n: number }>('select count(*)::int as n from organizations')).rows[0]?.n ?? 0) > 0
            : false;
          await current.close();
          if (hasData)
            throw new Error(`The database in ${dataDir} has data; add --force to replace it with the backup.`);
        }
        fs.rmSync(pgDir, { recursive: true, force: true });
        const blob = new Blob([fs.readFileSync(file)], { type: 'application/x-gzip' });
        const restored = new PGlite(pgDir, { loadDataDir: blob });
        await restored.waitReady;
        await restored.close();
        console.log(`Restored ${file} into ${dataDir}.`);
      } finally {
        release();
      }
    });
}
