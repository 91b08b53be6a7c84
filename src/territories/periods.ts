// Quota periods: "YYYY-MM", "YYYY-Qn", "YYYY" (API.md "Quotas"). Pure.

/** The months ("YYYY-MM") a period covers, in order. */
export function monthsOfPeriod(period: string): string[] {
  const year = period.slice(0, 4);
  const mm = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  if (/^\d{4}-\d{2}$/.test(period)) return [period];
  const q = /^\d{4}-Q([1-4])$/.exec(period);
  if (q) {
    const first = (Number(q[1]) - 1) * 3 + 1;
    return [mm(first), mm(first + 1), mm(first + 2)];
  }
  return Array.from({ length: 12 }, (_, i) => mm(i + 1));
}

/** First and last day of a period. */
export function periodRange(period: string): { from: string; to: string } {
  const months = monthsOfPeriod(period);
  return { from: `${months[0]}-01`, to: lastDayOfMonth(months.at(-1)!) };
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}

/** `count` consecutive months from `from` ("YYYY-MM"). */
export function monthsFrom(from: string, count: number): string[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const n = y * 12 + (m - 1) + i;
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  });
}
