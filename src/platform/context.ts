import type { Clock } from './clock';
import type { Db } from './db';

export type Role = 'admin' | 'finance' | 'sales' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'finance', 'sales', 'viewer'];

export interface Actor {
  type: 'user' | 'api_key' | 'system' | 'public';
  id: string | null;
}

/** Who is asking, for which organization: every service call gets one. */
export interface RequestContext {
  db: Db;
  orgId: string;
  actor: Actor;
  role: Role;
  /** The signed-in user, when the actor is a user. */
  userId: string | null;
  /** Every "now" of the request: timestamps written and the day it is. */
  clock: Clock;
  /** Today in the organization's time zone, YYYY-MM-DD, read from the clock. */
  today: string;
  /** Base of links in emails and hosted pages (ARBOR_PUBLIC_URL). */
  publicUrl: string;
}

/** What work without a signed-in caller needs: public pages, jobs, the command line. */
export interface Site {
  db: Db;
  clock: Clock;
  /** Base of links in emails and hosted pages (ARBOR_PUBLIC_URL). */
  publicUrl: string;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}
