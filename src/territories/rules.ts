// Territory matching and round-robin choice (API.md "Territories" and "Leads" → Assignment): pure, no I/O.

export type RuleField = 'country' | 'region' | 'postal_code_prefix' | 'industry' | 'employees_gte' | 'employees_lte';
export const RULE_FIELDS: readonly RuleField[] = [
  'country',
  'region',
  'postal_code_prefix',
  'industry',
  'employees_gte',
  'employees_lte',
];

export interface TerritoryRule {
  field: RuleField;
  /** Text for the text fields; an integer for the employee bounds. */
  value: string | number;
}

/** What the rules look at on a customer (its billing address) or a lead. */
export interface MatchableRecord {
  country?: string | null | undefined;
  region?: string | null | undefined;
  postal_code?: string | null | undefined;
  industry?: string | null | undefined;
  employees?: number | null | undefined;
}

export interface MatchableTerritory {
  id: string;
  priority: number;
  rules: TerritoryRule[];
  /** Creation order: ties of priority go to the older. */
  createdAt: Date;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function ruleMatches(rule: TerritoryRule, r: MatchableRecord): boolean {
  switch (rule.field) {
    case 'country':
      return !!r.country && same(r.country, String(rule.value));
    case 'region':
      return !!r.region && same(r.region, String(rule.value));
    case 'postal_code_prefix':
      return !!r.postal_code && r.postal_code.trim().toLowerCase().startsWith(String(rule.value).trim().toLowerCase());
    case 'industry':
      return !!r.industry && r.industry === String(rule.value);
    case 'employees_gte':
      return r.employees != null && r.employees >= Number(rule.value);
    case 'employees_lte':
      return r.employees != null && r.employees <= Number(rule.value);
  }
}

/** Every rule matches; a territory without rules matches nothing by itself. */
export function territoryMatches(t: Pick<MatchableTerritory, 'rules'>, r: MatchableRecord): boolean {
  return t.rules.length > 0 && t.rules.every((rule) => ruleMatches(rule, r));
}

/** The matching territory with the lowest priority, ties to the older (then the smaller id); null when none. */
export function matchTerritory<T extends MatchableTerritory>(territories: T[], r: MatchableRecord): T | null {
  let best: T | null = null;
  for (const t of territories) {
    if (!territoryMatches(t, r)) continue;
    if (
      best === null ||
      t.priority < best.priority ||
      (t.priority === best.priority &&
        (t.createdAt.getTime() < best.createdAt.getTime() ||
          (t.createdAt.getTime() === best.createdAt.getTime() && t.id < best.id)))
    )
      best = t;
  }
  return best;
}

/**
 * The round robin's next member: among active members, one never given a record by this round robin first, else
 * the one given a record longest ago (lowest sequence number); ties in `members` order. Null without active members.
 */
export function chooseRoundRobin(
  members: string[],
  active: Set<string>,
  lastGiven: Map<string, number>,
): string | null {
  let best: string | null = null;
  let bestSeq = Number.POSITIVE_INFINITY;
  for (const m of members) {
    if (!active.has(m)) continue;
    const seq = lastGiven.get(m) ?? Number.NEGATIVE_INFINITY;
    if (best === null || seq < bestSeq) {
      best = m;
      bestSeq = seq;
    }
  }
  return best;
}

/** Whether giving `id` the parent `parent` would make a cycle (`parentOf`: every territory's current parent). */
export function makesCycle(parentOf: Map<string, string | null>, id: string, parent: string | null): boolean {
  const seen = new Set<string>();
  for (let p = parent; p !== null; p = parentOf.get(p) ?? null) {
    if (p === id || seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

/** A territory and all its descendants. */
export function withDescendants(parentOf: Map<string, string | null>, id: string): Set<string> {
  const result = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parentOf)
      if (parent !== null && result.has(parent) && !result.has(child)) {
        result.add(child);
        grew = true;
      }
  }
  return result;
}
