import { conflict, DomainError, unprocessable } from '../platform/errors';

/**
 * Refuses an action that would write a business date on or before the day the books are closed through
 * (API.md "Accounting export, imports and closed periods"). `param` names the request field that carries the date.
 */
export function assertPeriodOpen(closedThrough: string | null | undefined, date: string, param: string | null): void {
  if (closedThrough && date <= closedThrough)
    throw conflict(
      'period_closed',
      `The books are closed through ${closedThrough}; nothing can be dated ${date}. Reopen the period in the settings or use a later date.`,
      param,
    );
}

/** Whether a period-closed refusal is what an error is (bill runs and reminder runs list it and go on). */
export const isPeriodClosed = (err: unknown) => err instanceof DomainError && err.code === 'period_closed';

/**
 * The outcome of changing `books_closed_through` from `current` to `next`: it never lies after today, and only moves
 * forward unless the request says `reopen`.
 */
export function checkPeriodClose(
  current: string | null,
  next: string | null,
  today: string,
  reopen: boolean,
): 'unchanged' | 'closed' | 'reopened' {
  if (next === current) return 'unchanged';
  if (next !== null && next > today)
    throw unprocessable(
      'period_close_in_future',
      `The books can be closed through today (${today}) at the latest.`,
      'books_closed_through',
    );
  const backwards = current !== null && (next === null || next < current);
  if (backwards && !reopen)
    throw conflict(
      'period_close_backwards',
      `The books are closed through ${current}; moving that back reopens a closed period, so send reopen: true with it.`,
      'books_closed_through',
    );
  return backwards ? 'reopened' : 'closed';
}
