import { randomUUID } from 'node:crypto';
import { setupOrganization } from '../../src/organizations/service';
import { type Clock, ShiftedClock } from '../../src/platform/clock';
import type { Config } from '../../src/platform/config';
import type { Jobs } from '../../src/platform/jobs';
import { type RunningServer, startServer } from '../../src/platform/server';

/**
 * A real Arbor server over HTTP: on PostgreSQL when DATABASE_URL is set, else on a throwaway embedded database.
 * One per test file; each test makes its own organization, so tests never see each other's data.
 */
/** Where every test server's clock starts, whatever the machine's date: tests never depend on the day they run. */
export const TEST_NOW = '2026-11-16T09:00:00Z';
/**
 * The one clock of the test run. On PostgreSQL every test file's server works jobs of the shared database, so a job
 * may run in another file's process: all processes read the same instant, counted from the run's origin (set once in
 * vitest.config.ts), or a bill run's invoices would be stamped out of order. A restarted server sees time go on.
 */
const origin = Number(process.env.ARBOR_TEST_ORIGIN ?? Date.now());
export const testClock = new ShiftedClock(new Date(Date.parse(TEST_NOW) + (Date.now() - origin)));

export async function startTestServer(
  overrides: Partial<Config> = {},
  opts: { jobs?: Jobs; clock?: Clock; logger?: object } = {},
): Promise<TestServer> {
  // Servers with SMTP deliver any mail of their database: on PostgreSQL each gets a database of its own, or a test
  // file's mail could be delivered by another file's server to that file's SMTP stand-in.
  if (process.env.DATABASE_URL && overrides.smtpUrl && overrides.databaseUrl === undefined)
    return startIsolatedServer(overrides, opts);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: process.env.DATABASE_URL || null,
    dataDir: 'memory',
    publicUrl: 'http://localhost:3000',
    smtpUrl: null,
    logLevel: 'silent',
    ...overrides,
  };
  const server = await startServer(config, {
    logger: opts.logger ?? false,
    schedule: false,
    clock: opts.clock ?? testClock,
    ...(opts.jobs ? { jobs: opts.jobs } : {}),
  });
  return new TestServer(server);
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestServer {
  constructor(readonly server: RunningServer) {}

  get url(): string {
    return this.server.url;
  }

  get db() {
    return this.server.database.db;
  }

  get clock() {
    return this.server.clock;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A fresh organization with an admin; returns a client authenticated with its admin API key. */
  async newOrg(opts: { currency?: string; timeZone?: string } = {}): Promise<OrgClient> {
    const email = `admin-${randomUUID()}@test.arbor`;
    const result = await setupOrganization(
      { db: this.db, clock: this.clock },
      {
        orgName: `Test Org ${randomUUID().slice(0, 8)}`,
        currency: opts.currency ?? 'EUR',
        email,
        password: 'correct horse battery',
        timeZone: opts.timeZone,
        add: true,
      },
    );
    return new OrgClient(this.url, result.apiKey as string, result.organization.id, result.user.id, email);
  }
}

/** HTTP client for one organization, authenticated with an API key. */
export class OrgClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    readonly orgId: string,
    readonly adminUserId: string,
    readonly adminEmail: string,
  ) {}

  /** The same organization on another server of the same database (a restarted process). */
  withBaseUrl(baseUrl: string): OrgClient {
    return new OrgClient(baseUrl, this.apiKey, this.orgId, this.adminUserId, this.adminEmail);
  }

  /** The same organization seen through another key. */
  withKey(apiKey: string): OrgClient {
    return new OrgClient(this.baseUrl, apiKey, this.orgId, this.adminUserId, this.adminEmail);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    return apiRequest<T>(this.baseUrl, method, path, body, { authorization: `Bearer ${this.apiKey}`, ...headers });
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** A new API key of this organization with the given role. */
  async keyWithRole(role: 'admin' | 'finance' | 'sales' | 'viewer'): Promise<OrgClient> {
    const res = await this.post('/api/v1/api_keys', { name: `${role} key`, role });
    if (res.status !== 201) throw new Error(`could not create key: ${JSON.stringify(res.body)}`);
    return this.withKey(res.body.key);
  }
}

export async function apiRequest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) init.body = body as any;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A job runner that runs nothing: a process that "crashes" before its background work happens. */
export const noJobs: Jobs = {
  define() {},
  async send() {},
  async start() {},
  async stop() {},
};

/**
 * Polls until `check` returns a value (or throws after `ms`). The bound is generous on purpose: it only stops a
 * test that would never pass, and must not fail one that is slow because the machine is busy.
 */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 120_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A server on a database of its own: a fresh PostgreSQL database beside DATABASE_URL's (dropped by stop), or a new
 * embedded one. For tests of jobs that act on every organization in the database.
 */
export async function startIsolatedServer(
  overrides: Partial<Config> = {},
  opts: { jobs?: Jobs; clock?: Clock; logger?: object } = {},
): Promise<TestServer> {
  const base = process.env.DATABASE_URL;
  if (!base) return startTestServer({ ...overrides, databaseUrl: null, dataDir: 'memory' }, opts);
  const { default: pg } = await import('pg');
  const name = `arbor_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const server = await startTestServer({ ...overrides, databaseUrl: url.toString() }, opts);
  const stop = server.stop.bind(server);
  server.stop = async () => {
    await stop();
    const drop = new pg.Client({ connectionString: base });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  };
  return server;
}
