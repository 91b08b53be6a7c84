import { and, eq, gt, isNull } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import { type Actor, dateInZone, type RequestContext, type Role } from './context';
import type { Db } from './db';
import { DomainError, forbidden } from './errors';
import { sha256 } from './secrets';
import { apiKeys, organizations, sessions, users } from './tables';

/** Who may call a route: `public` needs no credentials; the others name the least role that may. */
export type Access = 'public' | 'read' | 'sales' | 'finance' | 'admin';

const ALLOWED: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  read: ['admin', 'finance', 'sales', 'viewer'],
  sales: ['admin', 'finance', 'sales'],
  finance: ['admin', 'finance'],
  admin: ['admin'],
};

export const SESSION_COOKIE = 'arbor_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    session: { tokenHash: string; csrfToken: string } | null;
  }
}

interface Principal {
  orgId: string;
  role: Role;
  actor: Actor;
  userId: string | null;
  settings: unknown;
  session: { tokenHash: string; csrfToken: string } | null;
}

// API keys resolve to their organization, role and settings on every request; a short-lived cache saves that query.
// Changes made in this process clear it at once (forgetPrincipals); other processes see them within PRINCIPAL_TTL_MS.
const PRINCIPAL_TTL_MS = 2000;
const principalCache = new Map<string, { principal: Principal; until: number }>();

export function forgetPrincipals(): void {
  principalCache.clear();
}

async function fromApiKey(db: Db, key: string): Promise<Principal | null> {
  const hash = sha256(key);
  const cached = principalCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.principal;
  const principal = await loadApiKey(db, hash);
  if (principal) {
    if (principalCache.size > 10_000) principalCache.clear();
    principalCache.set(hash, { principal, until: Date.now() + PRINCIPAL_TTL_MS });
  }
  return principal;
}

async function loadApiKey(db: Db, keyHash: string): Promise<Principal | null> {
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId, role: apiKeys.role, settings: organizations.settings })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  return {
    orgId: row.orgId,
    role: row.role as Role,
    actor: { type: 'api_key', id: row.id },
    userId: null,
    settings: row.settings,
    session: null,
  };
}

export async function fromSessionToken(db: Db, clock: Clock, token: string): Promise<Principal | null> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      userId: users.id,
      orgId: users.orgId,
      role: users.role,
      csrfToken: sessions.csrfToken,
      settings: organizations.settings,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, clock.now()), eq(users.active, true)));
  if (!row) return null;
  return {
    orgId: row.orgId,
    role: row.role as Role,
    actor: { type: 'user', id: row.userId },
    userId: row.userId,
    settings: row.settings,
    session: { tokenHash, csrfToken: row.csrfToken },
  };
}

/** The signed-in user behind a request's session cookie, if any (for public pages that must not count the organization's own views). */
export async function sessionPrincipal(db: Db, clock: Clock, req: FastifyRequest): Promise<Principal | null> {
  const token = req.cookies?.[SESSION_COOKIE];
  return token ? fromSessionToken(db, clock, token) : null;
}

async function authenticate(db: Db, clock: Clock, req: FastifyRequest): Promise<Principal> {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await fromApiKey(db, match[1]) : null;
    if (!principal)
      throw new DomainError('authentication', 'invalid_api_key', 'The API key is not valid or was revoked.');
    return principal;
  }
  const principal = await sessionPrincipal(db, clock, req);
  if (!principal)
    throw new DomainError(
      'authentication',
      'not_authenticated',
      'Sign in or send an API key as "Authorization: Bearer <key>".',
    );
  if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== principal.session?.csrfToken)
    throw new DomainError(
      'permission',
      'csrf_token_invalid',
      'The x-csrf-token header is missing or wrong; get one from GET /api/v1/auth/csrf.',
    );
  return principal;
}

/** Authentication, organization scope and role checks, once, for every route that is not public. */
export function registerAuth(app: FastifyInstance, db: Db, clock: Clock, publicUrl: string): void {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    // Only API routes need credentials unless they say otherwise; unknown routes fall through to the 404 handler.
    if (access === 'public' || req.routeOptions.url === undefined) return;
    if (access === undefined && !req.routeOptions.url.startsWith('/api/v1')) return;
    const principal = await authenticate(db, clock, req);
    if (!access || !ALLOWED[access].includes(principal.role))
      throw forbidden(`Your role (${principal.role}) may not do this.`);
    const timeZone = (principal.settings as { time_zone?: string }).time_zone ?? 'UTC';
    req.session = principal.session;
    req.ctx = {
      db,
      orgId: principal.orgId,
      actor: principal.actor,
      role: principal.role,
      userId: principal.userId,
      clock,
      today: dateInZone(clock.now(), timeZone),
      publicUrl,
    };
  });
}
