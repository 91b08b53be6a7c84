import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** DATABASE_READ_URL: a streaming replica of DATABASE_URL that serves reports. */
  readDatabaseUrl?: string | null;
  /** DATABASE_READ_MAX_LAG_MS (default 5000): above this replica lag, the primary serves reports. */
  replicaMaxLagMs?: number;
  dataDir: string;
  publicUrl: string;
  smtpUrl: string | null;
  logLevel: string;
  /** ARBOR_NOW: an ISO instant the clock starts from (demos, tests, replaying a day); unset, the system clock. */
  now?: string | null;
  /** STRIPE_API_BASE: where the Stripe SDK sends requests (a local stand-in in tests); unset, Stripe's own. */
  stripeApiBase?: string | null;
  /**
   * ARBOR_TRUST_PROXY: which proxies may say the client's address in X-Forwarded-For. Unset: none (the socket's
   * address counts). "true": any (only when nothing reaches Arbor but through the proxy); a number: that many hops;
   * otherwise a comma-separated list of addresses or CIDR ranges ("10.0.0.1,192.168.0.0/16").
   */
  trustProxy?: boolean | number | string[];
  /** ARBOR_WEBHOOKS_ALLOW_PRIVATE=true: webhook URLs may reach loopback, private and link-local addresses (tests, labs). */
  webhooksAllowPrivate?: boolean;
}

export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The only reader of process.env: everything else gets a Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    readDatabaseUrl: env.DATABASE_READ_URL || null,
    replicaMaxLagMs: Number(env.DATABASE_READ_MAX_LAG_MS ?? 5000),
    dataDir: path.resolve(env.ARBOR_DATA_DIR ?? './data'),
    publicUrl: (env.ARBOR_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl: env.SMTP_URL || null,
    logLevel: env.LOG_LEVEL ?? 'info',
    now: env.ARBOR_NOW || null,
    stripeApiBase: env.STRIPE_API_BASE || null,
    trustProxy: parseTrustProxy(env.ARBOR_TRUST_PROXY),
    webhooksAllowPrivate: env.ARBOR_WEBHOOKS_ALLOW_PRIVATE === 'true',
  };
}
