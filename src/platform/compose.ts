import type { Tx } from './db';
import { DomainError } from './errors';

/**
 * How use cases compose. Each use case `foo(ctx, input)` runs in a transaction of its own; its twin
 * `fooIn(tx, ctx, input)` runs in the caller's transaction, so one transaction can do many (a bank import making
 * hundreds of payments, a subscription billing an invoice and posting it). Loaders read `getX(q, ctx, id)`.
 */

export type Attempt<T> = { ok: true; value: T } | { ok: false; refusal: DomainError };

/**
 * Tries `fn` in a savepoint of the caller's transaction. A refusal (DomainError: bad input, a conflict) undoes
 * only what `fn` wrote and is returned, so the caller goes on; any other error propagates and fails the whole.
 */
export async function attempt<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await tx.transaction(fn) };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, refusal: err };
    throw err;
  }
}
