// Sales metrics (API.md "Pipeline and sales reports" → sales): rates and averages from counted facts. Pure.
import { Decimal, dec, formatAmount, roundMoney } from '../money/money';

/** A ratio with 4 decimals; null when the denominator is zero. */
export function rate(numerator: Decimal | number, denominator: Decimal | number): string | null {
  const d = dec(denominator);
  return d.isZero() ? null : dec(numerator).div(d).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

export interface StageStep {
  id: string;
  position: number;
  kind: 'open' | 'won' | 'lost';
}

export interface HistoryEntry {
  opportunity: string;
  stage: string;
  /** The day it began (organization time zone). */
  day: string;
  /** Order of entries of one opportunity. */
  seq: number;
}

/**
 * Stage-to-stage conversion for each pair of consecutive open stages: `entered` counts opportunities with an entry in
 * the first stage beginning in [from, to] whose previous entry was in another stage (once per opportunity);
 * `advanced` those of them with a later entry, beginning by `to`, in a stage of higher position or of kind won.
 */
export function stageConversion(stages: StageStep[], history: HistoryEntry[], from: string, to: string) {
  const open = stages.filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
  const byId = new Map(stages.map((s) => [s.id, s]));
  const perOpportunity = new Map<string, HistoryEntry[]>();
  for (const h of history) perOpportunity.set(h.opportunity, [...(perOpportunity.get(h.opportunity) ?? []), h]);
  for (const list of perOpportunity.values()) list.sort((a, b) => a.seq - b.seq);
  const result = [];
  for (let i = 0; i + 1 < open.length; i++) {
    const fromStage = open[i]!;
    let entered = 0;
    let advanced = 0;
    for (const list of perOpportunity.values()) {
      const at = list.findIndex(
        (h, k) =>
          h.stage === fromStage.id && h.day >= from && h.day <= to && (k === 0 || list[k - 1]!.stage !== h.stage),
      );
      if (at < 0) continue;
      entered++;
      const later = list.slice(at + 1).some((h) => {
        const s = byId.get(h.stage);
        return (
          h.day <= to && s !== undefined && (s.kind === 'won' || (s.kind === 'open' && s.position > fromStage.position))
        );
      });
      if (later) advanced++;
    }
    result.push({
      from_stage: fromStage.id,
      to_stage: open[i + 1]!.id,
      entered,
      advanced,
      rate: rate(advanced, entered),
    });
  }
  return result;
}

/** Mean of whole days with one decimal; null without any. */
export function averageDays(days: number[]): string | null {
  if (days.length === 0) return null;
  return dec(days.reduce((a, b) => a + b, 0))
    .div(days.length)
    .toDecimalPlaces(1, Decimal.ROUND_HALF_UP)
    .toFixed(1);
}

/** Won amount ÷ won count, rounded to the currency; null without a won deal. */
export function averageDealSize(wonAmount: Decimal, wonCount: number, currency: string): string | null {
  return wonCount === 0 ? null : formatAmount(roundMoney(wonAmount.div(wonCount), currency), currency);
}
