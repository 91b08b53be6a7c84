import { randomUUID } from 'node:crypto';
import type { OrgClient } from '../helpers/server';

export async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function user(org: OrgClient, role: 'sales' | 'finance' | 'admin' | 'viewer' = 'sales') {
  return ok<{ id: string }>(
    org.post('/api/v1/users', { email: `u-${randomUUID()}@test.arbor`, password: 'correct horse battery', role }),
    201,
  );
}

export async function territory(org: OrgClient, body: Record<string, unknown>) {
  return ok<{ id: string; name: string }>(org.post('/api/v1/territories', body), 201);
}

export async function customer(org: OrgClient, body: Record<string, unknown>) {
  return ok<{ id: string; owner: string | null; territory: string | null; territory_source: string | null }>(
    org.post('/api/v1/customers', { currency: 'EUR', ...body }),
    201,
  );
}
