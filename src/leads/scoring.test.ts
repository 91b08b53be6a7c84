import { describe, expect, test } from 'vitest';
import { nameKey, ruleMatches, scoreLead } from './scoring';

describe('lead scoring (API.md "Scoring")', () => {
  const rules = [
    { id: 'a', field: 'country', operator: 'equals' as const, value: 'de', points: 30 },
    { id: 'b', field: 'industry', operator: 'in' as const, value: ['Software', 'Retail'], points: 20 },
    { id: 'c', field: 'employees', operator: 'gte' as const, value: 100, points: 40 },
    { id: 'd', field: 'email', operator: 'contains' as const, value: 'GMAIL', points: -50 },
    { id: 'e', field: 'phone', operator: 'present' as const, points: 15 },
  ];

  test('case-insensitive text, numeric bounds, negative points, clamped to 0..100, reasons in rule order', () => {
    expect(scoreLead(rules, { country: 'DE', industry: 'software', employees: 500, phone: '1' })).toEqual({
      score: 100,
      reasons: [
        { rule: 'a', points: 30 },
        { rule: 'b', points: 20 },
        { rule: 'c', points: 40 },
        { rule: 'e', points: 15 },
      ],
    });
    expect(scoreLead(rules, { email: 'me@gmail.com' }).score).toBe(0);
    expect(scoreLead(rules, { country: 'DE', email: 'x@Gmail.com' })).toEqual({
      score: 0,
      reasons: [
        { rule: 'a', points: 30 },
        { rule: 'd', points: -50 },
      ],
    });
  });

  test('a rule on an empty field never matches, and present is then false', () => {
    expect(ruleMatches(rules[4]!, { phone: '  ' })).toBe(false);
    expect(ruleMatches(rules[2]!, { employees: null })).toBe(false);
    expect(ruleMatches({ id: 'x', field: 'employees', operator: 'lte', value: 10, points: 1 }, { employees: 10 })).toBe(
      true,
    );
  });

  test('name keys for duplicates: lower case without whitespace', () => {
    expect(nameKey(' Globex  GmbH ')).toBe('globexgmbh');
    expect(nameKey('')).toBeNull();
  });
});
