import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { organizationOut, RoleSchema, userOut } from '../organizations/schemas';
import { createApiKeyFor, setupOrganization } from '../organizations/service';
import { clockFor } from '../platform/clock';
import { loadConfig } from '../platform/config';
import type { Role, Site } from '../platform/context';
import { type Database, openDatabase } from '../platform/db';
import { DomainError } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { hashPassword } from '../platform/secrets';
import { users } from '../platform/tables';

/** Opens the database for one command and always closes it. */
/** Opens the database for one command; `site` carries the process's clock (ARBOR_NOW or the system's). */
export async function withDatabase<T>(fn: (database: Database, site: Site) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await fn(database, { db: database.db, clock: clockFor(config.now), publicUrl: config.publicUrl });
  } finally {
    await database.close();
  }
}

function parseRole(role: string): Role {
  const parsed = RoleSchema.safeParse(role);
  if (!parsed.success) throw new Error(`--role must be one of admin, finance, sales, viewer (got "${role}").`);
  return parsed.data;
}

async function userByEmail(database: Database, email: string) {
  const [user] = await database.db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user) throw new Error(`No user with email ${email}.`);
  return user;
}

export function registerSetupCommands(program: Command): void {
  program
    .command('setup')
    .description('Create the organization and its admin; prints an admin API key')
    .requiredOption('--org-name <name>', 'organization (legal) name')
    .requiredOption('--currency <code>', 'base currency, ISO 4217 (e.g. EUR)')
    .requiredOption('--email <email>', 'admin email')
    .requiredOption('--password <password>', 'admin password (at least 8 characters)')
    .option('--time-zone <tz>', 'IANA time zone', 'UTC')
    .option('--add', 'create another organization even if one exists')
    .option('--json', 'print {organization, user, api_key} as JSON')
    .action(
      async (opts: {
        orgName: string;
        currency: string;
        email: string;
        password: string;
        timeZone: string;
        add?: boolean;
        json?: boolean;
      }) => {
        const { SetupIn } = await import('../organizations/schemas');
        const parsed = SetupIn.safeParse({
          org_name: opts.orgName,
          currency: opts.currency,
          email: opts.email,
          password: opts.password,
          time_zone: opts.timeZone,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`--${String(issue.path[0]).replace('_', '-')}: ${issue.message}`);
        }
        const result = await withDatabase((_database, site) =>
          setupOrganization(site, {
            orgName: opts.orgName,
            currency: opts.currency,
            email: opts.email,
            password: opts.password,
            timeZone: opts.timeZone,
            add: Boolean(opts.add),
          }),
        ).catch((err) => {
          if (err instanceof DomainError) throw new Error(err.message);
          throw err;
        });
        if (opts.json) {
          console.log(
            JSON.stringify({
              organization: organizationOut(result.organization),
              user: userOut(result.user),
              api_key: result.apiKey,
            }),
          );
        } else {
          console.log(`Organization ${result.organization.name} (${result.organization.id}) is set up.`);
          console.log(`Admin: ${result.user.email}`);
          console.log(`API key (shown once, keep it safe): ${result.apiKey}`);
          console.log(`Try: curl -H "Authorization: Bearer ${result.apiKey}" http://localhost:3000/api/v1/customers`);
        }
      },
    );

  const user = program.command('user').description('Manage users');
  user
    .command('add')
    .description('Add a user to the organization of an existing user')
    .requiredOption('--email <email>', 'the new user\u2019s email')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .option('--role <role>', 'admin, finance, sales or viewer', 'finance')
    .requiredOption('--org-of <email>', 'email of an existing user whose organization the new user joins')
    .action(async (opts: { email: string; password: string; role: string; orgOf: string }) => {
      const role = parseRole(opts.role);
      if (opts.password.length < 8) throw new Error('--password must be at least 8 characters.');
      const created = await withDatabase(async (database, { clock }) => {
        const owner = await userByEmail(database, opts.orgOf);
        const [existing] = await database.db.select().from(users).where(eq(users.email, opts.email.toLowerCase()));
        if (existing) throw new Error(`A user with email ${opts.email} already exists.`);
        const passwordHash = await hashPassword(opts.password);
        return database.db.transaction(async (tx) => {
          const [row] = await tx
            .insert(users)
            .values({
              id: newId('usr'),
              orgId: owner.orgId,
              email: opts.email.toLowerCase(),
              passwordHash,
              role,
              createdAt: clock.now(),
            })
            .returning();
          await recordEvent(
            tx,
            { orgId: owner.orgId, actor: { type: 'system', id: null }, clock },
            'user.created',
            { type: 'user', id: row!.id },
            { role },
          );
          return row!;
        });
      });
      console.log(`User ${created.email} (${created.id}) added as ${created.role}.`);
    });

  const apiKey = program.command('api-key').description('Manage API keys');
  apiKey
    .command('create')
    .description('Create an API key in the organization of a user; prints it once')
    .requiredOption('--email <email>', 'a user of the organization')
    .option('--name <name>', 'what the key is for', 'CLI key')
    .option('--role <role>', 'admin, finance, sales or viewer', 'admin')
    .action(async (opts: { email: string; name: string; role: string }) => {
      const role = parseRole(opts.role);
      const key = await withDatabase(async (database, site) => {
        const owner = await userByEmail(database, opts.email);
        return createApiKeyFor(site, owner.orgId, opts.name, role);
      });
      console.log(key.secret);
    });
}
