import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ATTEMPT_TIMEOUT_MS, addressAllowed, literalIp } from './rules';

export interface Resolved {
  address: string;
  family: 4 | 6;
}

/** The addresses a URL's host stands for: the literal IP, or the DNS answer (null: the name does not resolve). */
export async function resolveHost(hostname: string): Promise<Resolved[] | null> {
  const literal = literalIp(hostname);
  if (literal) return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  try {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch {
    return null;
  }
}

/** A name that must never be reached whatever it resolves to. */
export function isLocalName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs a webhook: resolves the host once, refuses a non-public answer (unless `allowPrivate`), then connects to that
 * very address (no second lookup an attacker's DNS could answer differently). Redirects are not followed; no answer
 * within 15 s is `timeout`.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivate: boolean; timeoutMs?: number },
): Promise<PostResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): PostResult => ({
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return done(null, 'invalid_url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return done(null, 'address_not_allowed');
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && isLocalName(hostname)) return done(null, 'address_not_allowed');
  const addresses = await resolveHost(hostname);
  if (!addresses || addresses.length === 0) return done(null, 'dns_failed');
  if (!opts.allowPrivate && addresses.some((a) => !addressAllowed(a.address))) return done(null, 'address_not_allowed');
  const target = addresses[0]!;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Resolved[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(
      u,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { 'content-type': 'application/json', 'user-agent': 'Arbor-Webhooks/1', ...headers },
      },
      (res) => {
        const code = res.statusCode ?? null;
        res.resume();
        res.on('end', () => finish(done(code, null)));
        res.on('error', () => finish(done(code, null)));
      },
    );
    const timer = setTimeout(() => {
      finish(done(null, 'timeout'));
      req.destroy();
    }, opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS);
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(done(null, err.code ? err.code.toLowerCase() : 'connection_failed')),
    );
    req.end(body);
  });
}
