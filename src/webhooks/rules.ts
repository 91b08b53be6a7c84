import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/** Does an endpoint's filter (`invoice.paid`, `invoice.*`, `*`) take an event type? */
export function subscribes(filters: readonly string[], type: string): boolean {
  return filters.some((f) => f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))));
}

/** The filters that name no known event type (`<prefix>.*` must be the prefix of one). */
export function unknownFilters(filters: readonly string[], known: readonly string[]): string[] {
  return filters.filter(
    (f) => f !== '*' && !(f.endsWith('.*') ? known.some((t) => t.startsWith(f.slice(0, -1))) : known.includes(f)),
  );
}

/** Waits after failed attempts 1…7 (API.md "Webhooks"); after the 8th failed attempt the delivery fails. */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint that fails every attempt this long is disabled. */
export const FAILING_LIMIT_MS = 5 * 24 * 3600 * 1000;
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** When attempt `attempts + 1` is due after `attempts` failed ones; `random` in [0, 1) adds 0–10 % jitter; null: no more. */
export function nextAttemptAt(failedAt: Date, attempts: number, random: number): Date | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  return new Date(failedAt.getTime() + Math.round(base * (1 + 0.1 * random)));
}

export type AttemptOutcome = 'succeeded' | 'gone' | 'failed';

/** 2xx succeeds, 410 disables the endpoint, anything else (3xx included: redirects are not followed) fails. */
export function outcomeOf(statusCode: number | null): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'succeeded';
  if (statusCode === 410) return 'gone';
  return 'failed';
}

/** Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the secret's bytes. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Addresses a webhook must not reach: anything but public unicast (loopback, private, link-local, metadata, …). */
export function addressAllowed(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  // 100.100.100.200 (Alibaba) and fd00:ec2::254 (AWS) are metadata services outside the private ranges' names.
  if (address === '100.100.100.200') return false;
  return ip.range() === 'unicast';
}

/** The host of a URL as a literal IP address, or null when it is a name. */
export function literalIp(hostname: string): string | null {
  const h = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(h) && (h.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}
