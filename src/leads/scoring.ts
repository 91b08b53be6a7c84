// API.md "Scoring": rule-based lead scores with the reasons shown. Pure: no I/O, no clock.

export type Operator = 'equals' | 'in' | 'gte' | 'lte' | 'present' | 'contains';

export interface ScoringRule {
  id: string;
  field: string;
  operator: Operator;
  value?: string | number | (string | number)[] | null | undefined;
  points: number;
}

export type LeadFields = Record<string, string | number | null | undefined>;

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const text = (v: unknown) => String(v).trim().toLowerCase();

/** Whether a rule matches: a rule on an empty field never matches (and `present` is then false). */
export function ruleMatches(rule: ScoringRule, fields: LeadFields): boolean {
  const v = fields[rule.field];
  if (isEmpty(v)) return false;
  switch (rule.operator) {
    case 'present':
      return true;
    case 'equals':
      return !isEmpty(rule.value) && text(v) === text(rule.value);
    case 'contains':
      return !isEmpty(rule.value) && text(v).includes(text(rule.value));
    case 'in':
      return Array.isArray(rule.value) && rule.value.some((x) => text(x) === text(v));
    case 'gte':
    case 'lte': {
      const a = Number(v);
      const b = Number(rule.value);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return rule.operator === 'gte' ? a >= b : a <= b;
    }
  }
}

/** score = Σ points of the matching rules, clamped to 0..100; reasons list each matching rule once, in rule order. */
export function scoreLead(
  rules: ScoringRule[],
  fields: LeadFields,
): { score: number; reasons: { rule: string; points: number }[] } {
  const reasons = rules.filter((r) => ruleMatches(r, fields)).map((r) => ({ rule: r.id, points: r.points }));
  const total = reasons.reduce((acc, r) => acc + r.points, 0);
  return { score: Math.max(0, Math.min(100, total)), reasons };
}

/** For duplicate detection by name: lower-cased, whitespace removed. */
export function nameKey(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text.toLowerCase().replace(/\s+/g, '');
  return key === '' ? null : key;
}
