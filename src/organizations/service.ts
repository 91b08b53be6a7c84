import { and, desc, eq, sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { taxRates } from '../catalog/tables';
import { forgetPrincipals } from '../platform/auth';
import { type Actor, dateInZone, type RequestContext, type Role, type Site } from '../platform/context';
import type { Db, Queryable, Tx } from '../platform/db';
import { isUniqueViolation } from '../platform/db-errors';
import { conflict, DomainError, invalid, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, type PageQuery, toPage } from '../platform/pagination';
import { normalizeAddress } from '../platform/schemas';
import { hashPassword, newToken, sha256, verifyPassword } from '../platform/secrets';
import { apiKeys, organizations, sessions, users } from '../platform/tables';
import { assertPeriodOpen, checkPeriodClose } from './closed-period';
import { applySettingsPatch, defaultSettings, readSettings, type Settings, type SettingsPatch } from './settings';

const SESSION_DAYS = 14;

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;

export interface SetupInput {
  orgName: string;
  currency: string;
  email: string;
  password: string;
  timeZone?: string | undefined;
  /** Create another organization even though one exists (CLI --add). */
  add: boolean;
  /** Also make an admin API key (the CLI prints it); the web's first-run form signs in instead. Default true. */
  apiKey?: boolean;
}

export interface SetupResult {
  organization: OrganizationRow;
  user: UserRow;
  apiKey: string | null;
}

/** Creates an organization, its admin and (unless told not to) an admin API key; refuses while one exists unless `add`. */
export async function setupOrganization(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  input: SetupInput,
): Promise<SetupResult> {
  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7263542)`);
    const [existing] = await tx.select({ id: organizations.id }).from(organizations).limit(1);
    if (existing && !input.add)
      throw conflict('organization_exists', 'An organization is already set up; use --add to create another.');
    const orgId = newId('org');
    const [organization] = await tx
      .insert(organizations)
      .values({
        id: orgId,
        name: input.orgName,
        settings: {
          ...defaultSettings(input.orgName, input.currency, input.timeZone ?? 'UTC'),
          lead_form_key: newToken(18),
        },
        createdAt: now,
      })
      .returning();
    const [user] = await tx
      .insert(users)
      .values({
        id: newId('usr'),
        orgId,
        email: input.email.toLowerCase(),
        passwordHash,
        role: 'admin',
        createdAt: now,
      })
      .returning();
    const actor: Actor = { type: 'system', id: null };
    const key = input.apiKey === false ? null : await insertApiKey(tx, now, orgId, 'Setup key', 'admin');
    await recordEvent(tx, { orgId, actor, clock }, 'organization.created', { type: 'organization', id: orgId });
    await recordEvent(tx, { orgId, actor, clock }, 'user.created', { type: 'user', id: user!.id }, { role: 'admin' });
    return { organization: organization!, user: user!, apiKey: key?.secret ?? null };
  });
}

export async function organizationExists(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return row !== undefined;
}

const emailTaken = () => conflict('email_taken', 'This organization already has a user with this email.', 'email');

async function insertApiKey(q: Queryable, now: Date, orgId: string, name: string, role: Role) {
  const secret = `arb_${newToken(32)}`;
  const [row] = await q
    .insert(apiKeys)
    .values({ id: newId('key'), orgId, name, role, keyHash: sha256(secret), hint: secret.slice(-4), createdAt: now })
    .returning();
  return { row: row!, secret };
}

// --- sessions ---

export interface Session {
  token: string;
  csrfToken: string;
  user: UserRow;
  expiresAt: Date;
}

/**
 * Signs in. A person may be a user of several organizations: the password is checked against each of them, and when
 * it is right for more than one and `organization` does not choose, the answer is 409 `organization_required`
 * naming them (only after a correct password, so it reveals nothing to someone who does not know it).
 */
export async function login(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  email: string,
  password: string,
  organization?: string | undefined,
): Promise<Session> {
  const candidates = await db
    .select({ user: users, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, email.toLowerCase()))
    .orderBy(users.orgId);
  const matching = [];
  // Verify even for an unknown email, so timing does not reveal which emails exist.
  if (candidates.length === 0)
    await verifyPassword(
      password,
      'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
  for (const c of candidates)
    if ((await verifyPassword(password, c.user.passwordHash)) && c.user.active) matching.push(c);
  const chosen = organization === undefined ? matching : matching.filter((c) => c.user.orgId === organization);
  if (chosen.length === 0)
    throw new DomainError('authentication', 'invalid_credentials', 'Email or password is wrong.');
  if (chosen.length > 1)
    throw new DomainError(
      'conflict',
      'organization_required',
      'This email belongs to several organizations: choose one.',
      'organization',
      { organizations: chosen.map((c) => ({ id: c.user.orgId, name: c.orgName })) },
    );
  const user = chosen[0]!.user;
  const token = newToken(32);
  const csrfToken = newToken(24);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: user.id, csrfToken, expiresAt, createdAt: now });
  return { token, csrfToken, user, expiresAt };
}

export async function logout(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function getUser(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string): Promise<UserRow> {
  const [user] = await q
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.orgId, ctx.orgId)));
  if (!user) throw notFound('user', id);
  return user;
}

export async function getOrganization(db: Queryable, orgId: string): Promise<OrganizationRow> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw notFound('organization', orgId);
  return org;
}

// --- users ---

export async function listUsers(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, users, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), cursor))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

export async function createUser(
  ctx: RequestContext,
  input: { email: string; password: string; name?: string | null | undefined; role: Role },
): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      // The unique index decides, also between concurrent requests.
      const [user] = await tx
        .insert(users)
        .values({
          id: newId('usr'),
          orgId: ctx.orgId,
          createdAt: ctx.clock.now(),
          email: input.email.toLowerCase(),
          name: input.name ?? null,
          passwordHash,
          role: input.role,
        })
        .onConflictDoNothing()
        .returning();
      if (!user) throw emailTaken();
      await recordEvent(tx, ctx, 'user.created', { type: 'user', id: user.id }, { role: input.role });
      return user;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
}

export async function updateUser(
  ctx: RequestContext,
  id: string,
  patch: {
    role?: Role | undefined;
    active?: boolean | undefined;
    name?: string | null | undefined;
    password?: string | undefined;
  },
) {
  const { password, ...rest } = patch;
  const passwordHash = password === undefined ? null : await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const changesMore = Object.values(rest).some((v) => v !== undefined);
    if (passwordHash === null || changesMore) {
      const user = await updateUserIn(tx, ctx, id, rest);
      if (passwordHash !== null) await setPasswordIn(tx, ctx, id, passwordHash);
      return user;
    }
    await setPasswordIn(tx, ctx, id, passwordHash);
    return getUser(tx, ctx, id);
  });
}

/** updateUser, in the caller's transaction. */
export async function updateUserIn(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  patch: { role?: Role | undefined; active?: boolean | undefined; name?: string | null | undefined },
) {
  const [before] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.orgId, ctx.orgId)))
    .for('update');
  if (!before) throw notFound('user', id);
  const demotesAdmin =
    before.role === 'admin' && before.active && (patch.active === false || (patch.role && patch.role !== 'admin'));
  if (demotesAdmin && (await activeAdmins(tx, ctx.orgId)) <= 1)
    throw conflict(
      'last_admin',
      'This is the last active admin; make someone else admin first.',
      patch.active === false ? 'active' : 'role',
    );
  const [user] = await tx
    .update(users)
    .set({
      role: patch.role ?? before.role,
      active: patch.active ?? before.active,
      name: patch.name === undefined ? before.name : patch.name,
    })
    .where(eq(users.id, id))
    .returning();
  if (patch.active === false) await tx.delete(sessions).where(eq(sessions.userId, id));
  await recordEvent(
    tx,
    ctx,
    'user.updated',
    { type: 'user', id },
    { before: { role: before.role, active: before.active }, after: { role: user!.role, active: user!.active } },
  );
  return user!;
}

/** Stores a new password hash for a user of the organization and ends the user's sessions, in the caller's transaction. */
export async function setPasswordIn(
  tx: Tx,
  ctx: Pick<RequestContext, 'orgId' | 'actor' | 'clock'>,
  userId: string,
  passwordHash: string,
): Promise<void> {
  const [user] = await tx
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), eq(users.orgId, ctx.orgId)))
    .returning({ id: users.id });
  if (!user) throw notFound('user', userId);
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await recordEvent(tx, ctx, 'user.password_changed', { type: 'user', id: userId });
}

async function activeAdmins(q: Queryable, orgId: string): Promise<number> {
  const rows = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'admin'), eq(users.active, true)));
  return rows.length;
}

// --- api keys ---

export async function listApiKeys(ctx: RequestContext, page: PageQuery) {
  const cursor = await afterCursor(ctx.db, apiKeys, ctx.orgId, page.starting_after);
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, ctx.orgId), cursor))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

export async function createApiKey(ctx: RequestContext, name: string, role: Role) {
  return ctx.db.transaction((tx) => createApiKeyIn(tx, ctx, name, role));
}

/** createApiKey, in the caller's transaction. */
export async function createApiKeyIn(tx: Tx, ctx: RequestContext, name: string, role: Role) {
  const key = await insertApiKey(tx, ctx.clock.now(), ctx.orgId, name, role);
  await recordEvent(tx, ctx, 'api_key.created', { type: 'api_key', id: key.row.id }, { role });
  return key;
}

/** For the CLI: an API key in the organization of the user with this email. */
export async function createApiKeyFor(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  orgId: string,
  name: string,
  role: Role,
) {
  return db.transaction(async (tx) => {
    await getOrganization(tx, orgId);
    const key = await insertApiKey(tx, clock.now(), orgId, name, role);
    await recordEvent(
      tx,
      { orgId, actor: { type: 'system', id: null }, clock },
      'api_key.created',
      { type: 'api_key', id: key.row.id },
      { role },
    );
    return key;
  });
}

export async function revokeApiKey(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId), sql`${apiKeys.revokedAt} is null`))
      .returning({ id: apiKeys.id });
    if (!row) throw notFound('API key', id);
    await recordEvent(tx, ctx, 'api_key.revoked', { type: 'api_key', id });
  });
  forgetPrincipals();
}

// --- settings ---

export async function getSettings(q: Queryable, ctx: Pick<RequestContext, 'orgId'>): Promise<Settings> {
  return readSettings((await getOrganization(q, ctx.orgId)).settings);
}

export async function updateSettings(ctx: RequestContext, patch: SettingsPatch): Promise<Settings> {
  const settings = await ctx.db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, ctx.orgId)).for('update');
    const before = readSettings(org!.settings);
    // Read-only fields may come back from a GET unchanged; a change is refused.
    if (patch.lead_form_key !== undefined && patch.lead_form_key !== before.lead_form_key)
      throw invalid(
        'read_only_field',
        'lead_form_key is read-only: POST /settings/lead_form_key/rotate replaces it.',
        'lead_form_key',
      );
    const after = applySettingsPatch(before, patch);
    const close = checkPeriodClose(before.books_closed_through, after.books_closed_through, ctx.today, !!patch.reopen);
    if (close === 'reopened')
      await recordEvent(
        tx,
        ctx,
        'books.reopened',
        { type: 'organization', id: ctx.orgId },
        { from: before.books_closed_through, to: after.books_closed_through },
      );
    if (patch.late_fee_tax_rate && patch.late_fee_tax_rate !== before.late_fee_tax_rate) {
      const [rate] = await tx
        .select({ id: taxRates.id })
        .from(taxRates)
        .where(and(eq(taxRates.id, patch.late_fee_tax_rate), eq(taxRates.orgId, ctx.orgId), eq(taxRates.active, true)));
      if (!rate)
        throw unprocessable(
          'tax_rate_not_found',
          `No active tax rate ${patch.late_fee_tax_rate} in this organization.`,
          'late_fee_tax_rate',
        );
    }
    after.address = normalizeAddress(after.address);
    await tx
      .update(organizations)
      .set({ settings: after, name: after.legal_name })
      .where(eq(organizations.id, ctx.orgId));
    const changed = Object.keys(patch).filter((k) => k !== 'reopen' && patch[k as keyof SettingsPatch] !== undefined);
    await recordEvent(tx, ctx, 'settings.updated', { type: 'organization', id: ctx.orgId }, { changed });
    return after;
  });
  forgetPrincipals();
  return settings;
}

/** Refuses, in the caller's transaction, an action dated on or before the day the books are closed through. */
export async function assertPeriodOpenIn(q: Queryable, orgId: string, date: string, param: string | null) {
  const [org] = await q
    .select({ closed: sql<string | null>`${organizations.settings}->>'books_closed_through'` })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  assertPeriodOpen(org?.closed ?? null, date, param);
}

const LOGO_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg' };
export const LOGO_MAX_BYTES = 512 * 1024;

function pdfkitReads(image: Buffer): boolean {
  try {
    const opened = (
      new PDFDocument() as unknown as { openImage(src: Buffer): { width: number; height: number } }
    ).openImage(image);
    return opened.width > 0 && opened.height > 0;
  } catch {
    return false; // the answer to "is it readable?", not a swallowed error
  }
}

export async function setLogo(ctx: RequestContext, contentType: string, body: Buffer): Promise<void> {
  const type = contentType.split(';')[0]!.trim();
  if (!LOGO_TYPES[type]) throw invalid('logo_type', 'The logo must be a PNG or JPEG image.', 'content-type');
  const isPng = body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const isJpeg = body[0] === 0xff && body[1] === 0xd8;
  if ((type === 'image/png' && !isPng) || (type === 'image/jpeg' && !isJpeg))
    throw unprocessable('logo_unreadable', 'The file is not a readable PNG or JPEG image.', 'body');
  if (body.length > LOGO_MAX_BYTES) throw invalid('logo_too_large', 'The logo may be at most 512 KB.', 'body');
  // Documents print the logo with pdfkit and do not swallow its errors: what pdfkit cannot read is refused here.
  if (!pdfkitReads(body))
    throw unprocessable('logo_unreadable', 'The file is not a readable PNG or JPEG image.', 'body');
  await ctx.db.transaction(async (tx) => {
    await tx.update(organizations).set({ logo: body, logoType: type }).where(eq(organizations.id, ctx.orgId));
    await recordEvent(
      tx,
      ctx,
      'settings.logo_updated',
      { type: 'organization', id: ctx.orgId },
      { bytes: body.length },
    );
  });
}

const SYSTEM: Actor = { type: 'system', id: null };

/** Who acts in a job or from the command line: the system, as an admin, on the organization's calendar. */
export async function systemContext(site: Site, orgId: string, today?: string): Promise<RequestContext> {
  const settings = await getSettings(site.db, { orgId });
  return {
    ...site,
    orgId,
    actor: SYSTEM,
    role: 'admin',
    userId: null,
    today: today ?? dateInZone(site.clock.now(), settings.time_zone),
  };
}
