import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { addressAllowed, literalIp, nextAttemptAt, outcomeOf, signature, subscribes, unknownFilters } from './rules';

describe('webhook rules', () => {
  it('matches exact types, prefixes and *', () => {
    expect(subscribes(['invoice.paid'], 'invoice.paid')).toBe(true);
    expect(subscribes(['invoice.paid'], 'invoice.posted')).toBe(false);
    expect(subscribes(['invoice.*'], 'invoice.posted')).toBe(true);
    expect(subscribes(['invoice.*'], 'invoices.posted')).toBe(false);
    expect(subscribes(['*'], 'customer.created')).toBe(true);
    expect(unknownFilters(['invoice.*', 'nope.*', 'invoice.paid', 'invoice.nope', '*'], ['invoice.paid'])).toEqual([
      'nope.*',
      'invoice.nope',
    ]);
  });

  it('schedules 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h plus up to 10 % jitter, then stops', () => {
    const t = new Date('2026-11-16T09:00:00Z');
    const gaps = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptAt(t, n, 0)!.getTime() - t.getTime());
    expect(gaps).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(nextAttemptAt(t, 1, 0.999)!.getTime() - t.getTime()).toBe(5_500);
    expect(nextAttemptAt(t, 8, 0.5)).toBeNull();
  });

  it('2xx succeeds, 410 is gone, 3xx and the rest fail', () => {
    expect([200, 204, 299, 301, 302, 404, 410, 500, null].map(outcomeOf)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'failed',
      'failed',
      'gone',
      'failed',
      'failed',
    ]);
  });

  it('signs as the standardwebhooks package does', () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const at = new Date('2026-11-16T09:00:00Z');
    const body = '{"id":"evt_1"}';
    expect(signature(secret, 'evt_1', at.getTime() / 1000, body)).toBe(new Webhook(secret).sign('evt_1', at, body));
  });

  it('allows public unicast addresses only', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.3.4', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1'])
      expect(addressAllowed(a), a).toBe(false);
    for (const a of ['fd00:ec2::254', 'fe80::1', '::ffff:127.0.0.1', '100.64.0.1', '100.100.100.200', '224.0.0.1'])
      expect(addressAllowed(a), a).toBe(false);
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700::1111']) expect(addressAllowed(a), a).toBe(true);
    expect(literalIp('127.0.0.1')).toBe('127.0.0.1');
    expect(literalIp('[::1]')).toBe('::1');
    expect(literalIp('example.com')).toBeNull();
  });
});
