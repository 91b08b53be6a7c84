// Number formats take {YYYY} (the issue date's year) and {seq:N} (zero-padded to N digits).

/** The series a document belongs to: the format with {YYYY} filled in. */
export function seriesOf(format: string, issueDate: string): string {
  return format.replaceAll('{YYYY}', issueDate.slice(0, 4));
}

export function formatNumber(series: string, seq: number): string {
  return series.replace(/\{seq(?::(\d{1,2}))?\}/g, (_m, width: string | undefined) =>
    String(seq).padStart(Number(width ?? 0), '0'),
  );
}
