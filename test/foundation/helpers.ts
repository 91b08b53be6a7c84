import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type ApiResponse, apiRequest, type OrgClient } from '../helpers/server';

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@test.arbor`;
}

/** Asserts the error shape of API.md: status, type, code and (when given) param, with a message. */
export function expectError(
  res: ApiResponse,
  status: number,
  type: string,
  code?: string,
  param?: string | null,
): void {
  const error = res.body?.error;
  const actual = {
    status: res.status,
    type: error?.type,
    ...(code !== undefined ? { code: error?.code } : {}),
    ...(param !== undefined ? { param: error?.param } : {}),
  };
  expect(actual, JSON.stringify(res.body)).toEqual({
    status,
    type,
    ...(code !== undefined ? { code } : {}),
    ...(param !== undefined ? { param } : {}),
  });
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
}

/** Anything that can send a request: an API-key client or a session client. */
export interface Requester {
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

/** Every item of a collection, page by page, checking the page shape on the way. */
export async function listAll(client: Requester, path: string, limit = 200): Promise<any[]> {
  const items: any[] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await client.request(
      'GET',
      `${path}${sep}limit=${limit}${after ? `&starting_after=${encodeURIComponent(after)}` : ''}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body.data);
    if (!res.body.has_more) return items;
    after = res.body.data.at(-1).id;
  }
  throw new Error(`${path}: more than 100 pages`);
}

export const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

/** The `name=value` pair of the session cookie a response sets, if any. */
export function sessionCookie(res: ApiResponse): string | undefined {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('arbor_session='));
  return cookie?.split(';')[0];
}

/** A signed-in user of the web UI: session cookie, plus the CSRF token on state changes. */
export class SessionClient implements Requester {
  constructor(
    readonly baseUrl: string,
    readonly cookie: string,
    readonly csrfToken: string,
    readonly user: { id: string; email: string; role: string },
  ) {}

  request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const auth: Record<string, string> = { cookie: this.cookie };
    if (!['GET', 'HEAD'].includes(method)) auth['x-csrf-token'] = this.csrfToken;
    return apiRequest<T>(this.baseUrl, method, path, body, { ...auth, ...headers });
  }
  /** The same request without the x-csrf-token header. */
  withoutCsrf<T = any>(method: string, path: string, body?: unknown) {
    return apiRequest<T>(this.baseUrl, method, path, body, { cookie: this.cookie });
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body: unknown = {}) {
    return this.request<T>('POST', path, body);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

export async function login(baseUrl: string, email: string, password = PASSWORD): Promise<SessionClient> {
  const res = await apiRequest(baseUrl, 'POST', '/api/v1/auth/login', { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const cookie = sessionCookie(res);
  expect(cookie).toBeDefined();
  return new SessionClient(baseUrl, cookie!, res.body.csrf_token, res.body.user);
}

/** A new user of the organization (created by its admin through the API). */
export async function addUser(
  org: OrgClient,
  role: 'admin' | 'finance' | 'sales' | 'viewer',
): Promise<{ id: string; email: string; role: string; active: boolean }> {
  const email = uniqueEmail(role);
  const res = await org.post('/api/v1/users', { email, password: PASSWORD, name: `A ${role}`, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A new user signed in through POST /auth/login. */
export async function signedInUser(org: OrgClient, role: 'admin' | 'finance' | 'sales' | 'viewer') {
  const user = await addUser(org, role);
  return login(org.baseUrl, user.email);
}

/** A new API key of the organization with its id. */
export async function newKey(
  org: OrgClient,
  role: 'admin' | 'finance' | 'sales' | 'viewer',
): Promise<{ id: string; client: OrgClient }> {
  const res = await org.post('/api/v1/api_keys', { name: `${role} key`, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, client: org.withKey(res.body.key) };
}

export async function createCustomer(client: Requester, body: Record<string, unknown> = {}) {
  const res = await client.request('POST', '/api/v1/customers', {
    name: `Customer ${randomUUID().slice(0, 8)}`,
    currency: 'EUR',
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
