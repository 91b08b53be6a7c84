import { describe, expect, test } from 'vitest';
import { chooseRoundRobin, makesCycle, matchTerritory, territoryMatches, withDescendants } from './rules';

const t = (id: string, priority: number, rules: unknown[], at = '2026-01-01T00:00:00Z') => ({
  id,
  priority,
  rules: rules as never,
  createdAt: new Date(at),
});

describe('territory matching', () => {
  test('every rule must match; country and region case-insensitively, postal code by prefix', () => {
    const dach = t('a', 1, [
      { field: 'country', value: 'de' },
      { field: 'postal_code_prefix', value: '8' },
    ]);
    expect(territoryMatches(dach, { country: 'DE', postal_code: '80331' })).toBe(true);
    expect(territoryMatches(dach, { country: 'DE', postal_code: '10115' })).toBe(false);
    expect(territoryMatches(dach, { country: 'AT', postal_code: '8010' })).toBe(false);
    expect(territoryMatches(t('r', 1, [{ field: 'region', value: 'Bavaria' }]), { region: 'BAVARIA' })).toBe(true);
  });
  test('industry exactly, employee bounds inclusive, empty fields never match', () => {
    const mid = t('m', 1, [
      { field: 'industry', value: 'Software' },
      { field: 'employees_gte', value: 50 },
      { field: 'employees_lte', value: 250 },
    ]);
    expect(territoryMatches(mid, { industry: 'Software', employees: 50 })).toBe(true);
    expect(territoryMatches(mid, { industry: 'Software', employees: 250 })).toBe(true);
    expect(territoryMatches(mid, { industry: 'Software', employees: 251 })).toBe(false);
    expect(territoryMatches(mid, { industry: 'software', employees: 100 })).toBe(false);
    expect(territoryMatches(mid, { industry: 'Software' })).toBe(false);
  });
  test('a territory without rules matches nothing', () => {
    expect(matchTerritory([t('x', 0, [])], { country: 'DE' })).toBeNull();
  });
  test('the lowest priority wins, ties to the older', () => {
    const de = { field: 'country', value: 'DE' };
    const older = t('b', 5, [de], '2026-01-01T00:00:00Z');
    const newer = t('a', 5, [de], '2026-02-01T00:00:00Z');
    const low = t('c', 2, [de], '2026-03-01T00:00:00Z');
    expect(matchTerritory([newer, older], { country: 'DE' })?.id).toBe('b');
    expect(matchTerritory([newer, older, low], { country: 'DE' })?.id).toBe('c');
    expect(matchTerritory([newer, older, low], { country: 'FR' })).toBeNull();
  });
});

describe('round robin', () => {
  test('never-assigned members first in members order, then the least recently given', () => {
    const active = new Set(['u1', 'u2', 'u3']);
    expect(chooseRoundRobin(['u1', 'u2', 'u3'], active, new Map())).toBe('u1');
    expect(chooseRoundRobin(['u1', 'u2', 'u3'], active, new Map([['u1', 1]]))).toBe('u2');
    expect(
      chooseRoundRobin(
        ['u1', 'u2', 'u3'],
        active,
        new Map([
          ['u1', 4],
          ['u2', 2],
          ['u3', 3],
        ]),
      ),
    ).toBe('u2');
  });
  test('inactive members are passed over; none active gives null', () => {
    expect(chooseRoundRobin(['u1', 'u2'], new Set(['u2']), new Map([['u2', 9]]))).toBe('u2');
    expect(chooseRoundRobin(['u1'], new Set(), new Map())).toBeNull();
  });
});

describe('hierarchy', () => {
  const parentOf = new Map<string, string | null>([
    ['world', null],
    ['eu', 'world'],
    ['de', 'eu'],
    ['us', 'world'],
  ]);
  test('a parent among the descendants is a cycle', () => {
    expect(makesCycle(parentOf, 'eu', 'de')).toBe(true);
    expect(makesCycle(parentOf, 'eu', 'eu')).toBe(true);
    expect(makesCycle(parentOf, 'de', 'us')).toBe(false);
    expect(makesCycle(parentOf, 'de', null)).toBe(false);
  });
  test('descendants include the territory itself', () => {
    expect([...withDescendants(parentOf, 'eu')].sort()).toEqual(['de', 'eu']);
    expect(withDescendants(parentOf, 'world').size).toBe(4);
  });
});
