import { minorUnits } from '../money/currencies';
import { Decimal, ZERO } from '../money/money';

/**
 * Splits `total` over parts in proportion to `weights` (largest-remainder / Hamilton method):
 * every part is a whole number of the currency's minor unit and the parts sum exactly to `total`.
 * A zero weight gets nothing; when every weight is zero the total is split equally.
 * Remainder units go to the largest fractional parts; among equal ones to the earlier part
 * (`tie: 'earlier'`) or to the part with the larger weight, then the earlier (`tie: 'larger'`).
 */
export function allocateByLargestRemainder(
  total: Decimal,
  weights: Decimal[],
  currency: string,
  tie: 'earlier' | 'larger',
): Decimal[] {
  const unit = new Decimal(10).pow(-minorUnits(currency));
  if (!total.mod(unit).isZero()) throw new RangeError(`Total ${total.toFixed()} is not a whole ${currency} amount.`);
  if (total.isZero()) return weights.map(() => ZERO);
  if (weights.length === 0) throw new RangeError('Cannot allocate a non-zero total over no parts.');
  // Allocate the magnitude and mirror it, so that a negative total splits exactly like its positive.
  if (total.isNegative()) return allocateUnits(total.neg().div(unit), weights, tie).map((u) => u.times(unit).neg());
  return allocateUnits(total.div(unit), weights, tie).map((u) => u.times(unit));
}

function allocateUnits(units: Decimal, weights: Decimal[], tie: 'earlier' | 'larger'): Decimal[] {
  let effective = weights;
  let weightSum = effective.reduce((acc, w) => acc.plus(w), ZERO);
  if (weightSum.isZero()) {
    if (weights.some((w) => !w.isZero()))
      throw new RangeError('Weights cancel out: no proportional allocation exists.');
    effective = weights.map(() => new Decimal(1));
    weightSum = new Decimal(weights.length);
  }
  const quotas = effective.map((w) => units.times(w).div(weightSum));
  const floors = quotas.map((q) => q.floor());
  let remaining = units.minus(floors.reduce((acc, f) => acc.plus(f), ZERO)).toNumber(); // a small whole count (< parts)
  const order = quotas
    .map((q, index) => ({ index, fraction: q.minus(floors[index]!), weight: effective[index]!.abs() }))
    .sort(
      (a, b) =>
        b.fraction.comparedTo(a.fraction) ||
        (tie === 'larger' ? b.weight.comparedTo(a.weight) : 0) ||
        a.index - b.index,
    );
  const parts = [...floors];
  for (const { index } of order) {
    if (remaining <= 0) break;
    parts[index] = parts[index]!.plus(1);
    remaining -= 1;
  }
  return parts;
}
