// The matching engine: pure, clock-free scorers of the candidate tiers of API.md ("Bank lines and matching").
import { distance } from 'fastest-levenshtein';
import { parseCreditorReference, referenceBody } from '../invoicing/payment-reference';
import { type Decimal, dec, formatAmount, sum } from '../money/money';

export interface OpenInvoice {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  amountDue: string;
  dueDate: string;
}

export interface MatchCustomer {
  id: string;
  name: string;
  ibans: string[];
}

export interface LineToMatch {
  amount: string;
  currency: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  reference: string | null;
  endToEndId: string | null;
}

export interface Suggestion {
  rank: number;
  confidence: number;
  customer: string;
  invoices: { invoice: string; amount: string }[];
  write_off: { amount: string; reason: string } | null;
  reasons: string[];
}

const LEGAL_FORMS = new Set('gmbh ag kg ug ohg ltd limited llc inc corp sa sas sarl bv nv srl spa plc co'.split(' '));

/** Lower case, accents, punctuation, legal-form words and whitespace removed. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter((w) => w && !LEGAL_FORMS.has(w))
    .join('');
}

/** 1 − Levenshtein distance ÷ the longer length. */
export function nameSimilarity(a: string, b: string): number {
  const x = normalizeName(a);
  const y = normalizeName(b);
  const longer = Math.max(x.length, y.length);
  return longer === 0 ? 0 : 1 - distance(x, y) / longer;
}

const alnum = (s: string) => s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** Indexes over one organization's open invoices and customers, built once per matching run. */
export class MatchBook {
  readonly byNumber = new Map<string, OpenInvoice>();
  readonly byReferenceBody = new Map<string, OpenInvoice[]>();
  readonly byCustomer = new Map<string, OpenInvoice[]>();
  readonly byAmount = new Map<string, OpenInvoice[]>();
  readonly byIban = new Map<string, Set<string>>();
  readonly customers = new Map<string, MatchCustomer & { normalized: string }>();

  constructor(invoices: OpenInvoice[], customers: MatchCustomer[]) {
    const sorted = [...invoices].sort(byDueThenNumber);
    for (const inv of sorted) {
      if (dec(inv.amountDue).lte(0)) continue;
      this.byNumber.set(alnum(inv.number), inv);
      push(this.byReferenceBody, referenceBody(inv.number), inv);
      push(this.byCustomer, inv.customerId, inv);
      push(this.byAmount, `${inv.currency} ${dec(inv.amountDue).toFixed()}`, inv);
    }
    for (const c of customers) {
      this.customers.set(c.id, { ...c, normalized: normalizeName(c.name) });
      for (const iban of c.ibans) {
        const set = this.byIban.get(iban) ?? new Set();
        set.add(c.id);
        this.byIban.set(iban, set);
      }
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byDueThenNumber(a: OpenInvoice, b: OpenInvoice): number {
  return a.dueDate < b.dueDate
    ? -1
    : a.dueDate > b.dueDate
      ? 1
      : a.number < b.number
        ? -1
        : a.number > b.number
          ? 1
          : 0;
}

/** "1,190.00": an amount as a clerk reads it. */
export function amountWords(value: Decimal | string, currency: string): string {
  const [whole, frac] = formatAmount(value, currency).split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = whole!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${frac ? `.${frac}` : ''}`;
}

/** The remittance tokens: pieces between whitespace, stripped of surrounding punctuation. */
export function remittanceTokens(line: Pick<LineToMatch, 'reference' | 'endToEndId'>): string[] {
  return [line.reference ?? '', line.endToEndId ?? '']
    .join(' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[^0-9A-Za-z]+|[^0-9A-Za-z]+$/g, ''))
    .filter(Boolean);
}

interface Named {
  invoice: OpenInvoice;
  why: string;
}

/** Invoices the remittance names: valid RF references (spaces ignored) and invoice numbers equal to a token. */
export function referencedInvoices(line: LineToMatch, book: MatchBook): Named[] {
  const found = new Map<string, Named>();
  const compact = [line.reference ?? '', line.endToEndId ?? ''].join(' ').replace(/\s+/g, '').toUpperCase();
  for (let i = compact.indexOf('RF'); i >= 0; i = compact.indexOf('RF', i + 1)) {
    for (let len = 25; len >= 5; len--) {
      const candidate = compact.slice(i, i + len);
      if (candidate.length !== len) continue;
      const rf = parseCreditorReference(candidate);
      const invs = rf ? book.byReferenceBody.get(rf.slice(4)) : undefined;
      if (rf && invs) {
        for (const inv of invs)
          if (!found.has(inv.id)) found.set(inv.id, { invoice: inv, why: `${rf} is the reference of ${inv.number}` });
        break;
      }
    }
  }
  for (const token of remittanceTokens(line)) {
    const inv = book.byNumber.get(alnum(token));
    if (inv && !found.has(inv.id)) found.set(inv.id, { invoice: inv, why: `${token} is the number of ${inv.number}` });
  }
  return [...found.values()].filter((n) => n.invoice.currency === line.currency);
}

type Candidate = Omit<Suggestion, 'rank'> & { oldestDue: string; firstNumber: string };

function candidate(
  confidence: number,
  customer: string,
  invoices: OpenInvoice[],
  allocations: Decimal[],
  currency: string,
  writeOff: { amount: string; reason: string } | null,
  reasons: string[],
): Candidate {
  return {
    confidence,
    customer,
    invoices: invoices.map((inv, i) => ({ invoice: inv.id, amount: formatAmount(allocations[i]!, currency) })),
    write_off: writeOff,
    reasons,
    oldestDue: invoices[0]?.dueDate ?? '9999-12-31',
    firstNumber: invoices[0]?.number ?? '',
  };
}

/** Tiers 1 and 2 for one customer's referenced invoices. */
function referenceCandidate(line: LineToMatch, named: Named[], writeOffLimit: Decimal): Candidate {
  const invoices = named.map((n) => n.invoice).sort(byDueThenNumber);
  const amount = dec(line.amount);
  const total = sum(invoices.map((i) => i.amountDue));
  const reasons = named.map((n) => n.why);
  const cur = line.currency;
  const customer = invoices[0]!.customerId;
  if (amount.equals(total))
    return candidate(
      0.99,
      customer,
      invoices,
      invoices.map((i) => dec(i.amountDue)),
      cur,
      null,
      [...reasons, `amount ${amountWords(amount, cur)} equals their amount due`],
    );
  if (amount.greaterThan(total))
    return candidate(
      0.9,
      customer,
      invoices,
      invoices.map((i) => dec(i.amountDue)),
      cur,
      null,
      [
        ...reasons,
        `amount ${amountWords(amount, cur)} is ${amountWords(amount.minus(total), cur)} more than their amount due ${amountWords(total, cur)}; the rest becomes customer credit`,
      ],
    );
  // Less: oldest due first; a shortfall within the write-off limit is offered as a write-off on the last one paid.
  let left = amount;
  const paid: OpenInvoice[] = [];
  const parts: Decimal[] = [];
  for (const inv of invoices) {
    if (left.lte(0)) break;
    const take = Decimal_min(left, dec(inv.amountDue));
    paid.push(inv);
    parts.push(take);
    left = left.minus(take);
  }
  const shortfall = total.minus(amount);
  const unpaidOthers = invoices.length > paid.length;
  if (!unpaidOthers && shortfall.lte(writeOffLimit) && shortfall.gt(0)) {
    const last = paid[paid.length - 1]!;
    return candidate(
      0.9,
      customer,
      paid,
      parts,
      cur,
      {
        amount: formatAmount(shortfall, cur),
        reason: `Difference of ${amountWords(shortfall, cur)} on ${last.number}`,
      },
      [
        ...reasons,
        `amount ${amountWords(amount, cur)} is ${amountWords(shortfall, cur)} short of ${amountWords(total, cur)}, within the write-off limit`,
      ],
    );
  }
  return candidate(0.9, customer, paid, parts, cur, null, [
    ...reasons,
    `amount ${amountWords(amount, cur)} pays ${amountWords(total, cur)} in part, oldest due first`,
  ]);
}

function Decimal_min(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

/** The one set of 2..max of these invoices whose amounts due add up to `amount`, or null when none or several do. */
export function uniqueSubset(invoices: OpenInvoice[], amount: Decimal, max = 5): OpenInvoice[] | null {
  let found: OpenInvoice[] | null = null;
  let count = 0;
  const values = invoices.map((i) => dec(i.amountDue));
  const pick: number[] = [];
  const walk = (start: number, acc: Decimal) => {
    if (count > 1) return;
    if (pick.length >= 2 && acc.equals(amount)) {
      count++;
      found = pick.map((i) => invoices[i]!);
    }
    if (pick.length === max) return;
    for (let i = start; i < invoices.length; i++) {
      const next = acc.plus(values[i]!);
      if (next.gt(amount)) continue;
      pick.push(i);
      walk(i + 1, next);
      pick.pop();
    }
  };
  walk(0, dec(0));
  return count === 1 ? found : null;
}

/** Every candidate for a line of money in, best first, with rank, confidence and reasons. */
export function suggest(line: LineToMatch, book: MatchBook, writeOffLimit: string): Suggestion[] {
  const amount = dec(line.amount);
  if (amount.lte(0)) return [];
  const cur = line.currency;
  const limit = dec(writeOffLimit);
  const candidates: Candidate[] = [];

  const named = referencedInvoices(line, book);
  const groups = new Map<string, Named[]>();
  for (const n of named) push(groups, n.invoice.customerId, n);
  for (const group of groups.values()) candidates.push(referenceCandidate(line, group, limit));

  const exact = (inv: OpenInvoice) => inv.currency === cur && dec(inv.amountDue).equals(amount);
  const iban = line.counterpartyIban;
  const ibanCustomers = iban ? [...(book.byIban.get(iban) ?? [])] : [];
  if (ibanCustomers.length === 1) {
    const customerId = ibanCustomers[0]!;
    const open = (book.byCustomer.get(customerId) ?? []).filter((i) => i.currency === cur);
    const single = open.filter(exact);
    const name = book.customers.get(customerId)?.name ?? customerId;
    const why = `IBAN ${iban} paid ${name} before`;
    if (single.length === 1)
      candidates.push(
        candidate(0.8, customerId, single, [amount], cur, null, [
          why,
          `amount ${amountWords(amount, cur)} equals the amount due of ${single[0]!.number}`,
        ]),
      );
    else if (single.length === 0) {
      const set = uniqueSubset(open.slice(0, 20), amount);
      if (set)
        candidates.push(
          candidate(
            0.8,
            customerId,
            set,
            set.map((i) => dec(i.amountDue)),
            cur,
            null,
            [
              why,
              `amount ${amountWords(amount, cur)} equals the amount due of ${set.map((i) => i.number).join(' + ')}`,
            ],
          ),
        );
    }
  }

  if (line.counterpartyName) {
    const target = normalizeName(line.counterpartyName);
    const similar = [...book.customers.values()].filter((c) => {
      const longer = Math.max(target.length, c.normalized.length);
      return longer > 0 && 1 - distance(target, c.normalized) / longer >= 0.85;
    });
    if (similar.length === 1) {
      const c = similar[0]!;
      const inv = (book.byCustomer.get(c.id) ?? []).find(exact);
      if (inv)
        candidates.push(
          candidate(0.6, c.id, [inv], [amount], cur, null, [
            `name "${line.counterpartyName}" is similar to ${c.name}`,
            `amount ${amountWords(amount, cur)} equals the amount due of ${inv.number}`,
          ]),
        );
    }
  }

  const sameAmount = book.byAmount.get(`${cur} ${amount.toFixed()}`) ?? [];
  if (sameAmount.length === 1) {
    const inv = sameAmount[0]!;
    candidates.push(
      candidate(0.4, inv.customerId, [inv], [amount], cur, null, [
        `amount ${amountWords(amount, cur)} equals the amount due of ${inv.number}, the only open invoice of that amount`,
      ]),
    );
  }

  // One candidate per set of invoices: the most confident one.
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = `${c.customer}|${c.invoices
      .map((i) => i.invoice)
      .sort()
      .join(',')}`;
    const seen = best.get(key);
    if (!seen || seen.confidence < c.confidence) best.set(key, c);
  }
  return [...best.values()]
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        (a.oldestDue < b.oldestDue ? -1 : a.oldestDue > b.oldestDue ? 1 : 0) ||
        (a.firstNumber < b.firstNumber ? -1 : a.firstNumber > b.firstNumber ? 1 : 0),
    )
    .map(({ oldestDue: _d, firstNumber: _n, ...s }, i) => ({ rank: i + 1, ...s }));
}

/** The suggestion to confirm without a person: confidence 0.99 and no other candidate at 0.90 or above naming other invoices. */
export function automaticConfirmation(suggestions: Suggestion[]): Suggestion | null {
  const top = suggestions[0];
  if (!top || top.confidence < 0.99) return null;
  const mine = new Set(top.invoices.map((i) => i.invoice));
  const rival = suggestions.slice(1).some((s) => s.confidence >= 0.9 && s.invoices.some((i) => !mine.has(i.invoice)));
  return rival ? null : top;
}
