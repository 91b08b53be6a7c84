// The answer of a realignment (API.md "Territories" → realign): records grouped by territory move. Pure.
import { type Decimal, dec, formatAmount } from '../money/money';

export interface RealignRecord {
  kind: 'customer' | 'lead' | 'opportunity';
  id: string;
  from: string | null;
  /** The territory the rules give it now (a hand-set record: its own, so it stays). */
  to: string | null;
  /** Open opportunities: what moves with them. */
  currency?: string;
  amount?: string;
}

export interface Move {
  territory_from: string | null;
  territory_to: string | null;
  customers: number;
  leads: number;
  opportunities: number;
  open_pipeline: { currency: string; amount: string }[];
}

/** Moves grouped by (from, to), ordered by from then to (none first); pipeline per currency, alphabetical. */
export function summarizeMoves(records: RealignRecord[]): { moved: Move[]; unchanged: number } {
  const groups = new Map<string, { move: Move; pipeline: Map<string, Decimal> }>();
  let unchanged = 0;
  for (const r of records) {
    if (r.from === r.to) {
      unchanged++;
      continue;
    }
    const key = `${r.from ?? ''}\u0000${r.to ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        move: {
          territory_from: r.from,
          territory_to: r.to,
          customers: 0,
          leads: 0,
          opportunities: 0,
          open_pipeline: [],
        },
        pipeline: new Map(),
      };
      groups.set(key, g);
    }
    if (r.kind === 'customer') g.move.customers++;
    else if (r.kind === 'lead') g.move.leads++;
    else {
      g.move.opportunities++;
      if (r.currency && r.amount !== undefined)
        g.pipeline.set(r.currency, (g.pipeline.get(r.currency) ?? dec(0)).plus(r.amount));
    }
  }
  const moved = [...groups.values()]
    .map(({ move, pipeline }) => ({
      ...move,
      open_pipeline: [...pipeline.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amount]) => ({ currency, amount: formatAmount(amount, currency) })),
    }))
    .sort(
      (a, b) =>
        (a.territory_from ?? '').localeCompare(b.territory_from ?? '') ||
        (a.territory_to ?? '').localeCompare(b.territory_to ?? ''),
    );
  return { moved, unchanged };
}
