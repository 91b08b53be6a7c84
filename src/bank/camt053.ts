// ISO 20022 camt.053 (versions 001.02 to 001.08): the XML is read by fast-xml-parser, the meaning by us.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  blankToNull,
  bookingPeriod,
  compactIban,
  negate,
  type ParsedLine,
  type ParsedStatement,
  plainAmount,
  StatementUnreadable,
} from './statement';

type Node = Record<string, unknown>;
const ARRAYS = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Bal', 'Ustrd', 'Strd']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

const obj = (v: unknown): Node | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
const list = (v: unknown): Node[] =>
  Array.isArray(v) ? v.map((x) => obj(x) ?? { '#text': x }) : v ? [obj(v) ?? {}] : [];
const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const t = obj(v)?.['#text'];
  return t === undefined ? null : String(t);
};
function at(node: Node | undefined, path: string): unknown {
  let cur: unknown = node;
  for (const key of path.split('/')) {
    const o = Array.isArray(cur) ? obj(cur[0]) : obj(cur);
    if (!o) return undefined;
    cur = o[key];
  }
  return cur;
}
const str = (node: Node | undefined, path: string) => blankToNull(text(at(node, path)));

/** A date as written (`2026-11-02` or the date part of `2026-11-02T00:00:00+01:00`), not converted to UTC. */
function dateOf(node: Node | undefined, where: string): string | null {
  const d = str(node, 'Dt') ?? str(node, 'DtTm');
  if (d === null) return null;
  if (!/^\d{4}-\d{2}-\d{2}/.test(d)) throw new StatementUnreadable(`${d} is not a date.`, where);
  return d.slice(0, 10);
}

function amountOf(node: unknown, where: string): { amount: string; currency: string | null } {
  const raw = text(node);
  const amount = raw === null ? null : plainAmount(raw, '.');
  if (amount === null) throw new StatementUnreadable(`The amount ${raw ?? '(missing)'} cannot be read.`, where);
  return { amount, currency: blankToNull(String(obj(node)?.['@_Ccy'] ?? '')) };
}

function signed(amount: string, indicator: string | null, where: string): string {
  if (indicator === 'CRDT') return amount;
  if (indicator === 'DBIT') return negate(amount);
  throw new StatementUnreadable(`CdtDbtInd must be CRDT or DBIT, not ${indicator ?? '(missing)'}.`, where);
}

function balanceOf(stmt: Node, codes: string[], where: string): string | null {
  const bals = list(stmt.Bal);
  for (const code of codes) {
    const i = bals.findIndex((b) => str(b, 'Tp/CdOrPrtry/Cd') === code);
    if (i >= 0) {
      const b = bals[i]!;
      const { amount } = amountOf(b.Amt, `${where}/Bal[${i + 1}]/Amt`);
      return signed(amount, str(b, 'CdtDbtInd'), `${where}/Bal[${i + 1}]/CdtDbtInd`);
    }
  }
  return null;
}

function statusOf(ntry: Node): string | null {
  return str(ntry, 'Sts/Cd') ?? str(ntry, 'Sts');
}

/** Counterparty of a transaction: the debtor for money in, the creditor for money out (001.08 nests it in Pty). */
function party(tx: Node, incoming: boolean): { name: string | null; iban: string | null } {
  const role = incoming ? 'Dbtr' : 'Cdtr';
  const name = str(tx, `RltdPties/${role}/Nm`) ?? str(tx, `RltdPties/${role}/Pty/Nm`);
  const iban = compactIban(str(tx, `RltdPties/${role}Acct/Id/IBAN`));
  return { name, iban };
}

function remittance(tx: Node): string | null {
  const ustrd = list(at(tx, 'RmtInf/Ustrd')).map((u) => text(u) ?? '');
  const strd = list(at(tx, 'RmtInf/Strd')).map((s) => str(s, 'CdtrRefInf/Ref') ?? '');
  return blankToNull([...strd, ...ustrd].filter(Boolean).join(' '));
}

export function parseCamt053(file: Buffer): ParsedStatement {
  const xml = file.toString('utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new StatementUnreadable(`The XML is not well-formed: ${valid.err.msg}`, `line ${valid.err.line}`);
  const version = /camt\.053\.001\.(\d{2})/.exec(xml)?.[1];
  if (!version || Number(version) < 2 || Number(version) > 8)
    throw new StatementUnreadable('Only camt.053 versions 001.02 to 001.08 can be imported.', 'Document');
  const doc = obj(parser.parse(xml).Document);
  const stmts = list(at(doc, 'BkToCstmrStmt/Stmt'));
  if (stmts.length === 0) throw new StatementUnreadable('The file holds no statement.', 'BkToCstmrStmt/Stmt');

  let accountIban: string | null = null;
  let currency: string | null = null;
  const lines: ParsedLine[] = [];
  let pendingSkipped = 0;
  stmts.forEach((stmt, si) => {
    const sw = `Stmt[${si + 1}]`;
    const iban = compactIban(str(stmt, 'Acct/Id/IBAN'));
    if (accountIban && iban && iban !== accountIban)
      throw new StatementUnreadable('All statements of one file must be of one account.', `${sw}/Acct/Id/IBAN`);
    accountIban ??= iban;
    currency ??= str(stmt, 'Acct/Ccy');
    list(stmt.Ntry).forEach((ntry, ni) => {
      const nw = `${sw}/Ntry[${ni + 1}]`;
      const entry = amountOf(ntry.Amt, `${nw}/Amt`);
      const indicator = str(ntry, 'CdtDbtInd');
      const entryAmount = signed(entry.amount, indicator, `${nw}/CdtDbtInd`);
      if (statusOf(ntry) === 'PDNG') {
        pendingSkipped++;
        return;
      }
      const bookingDate = dateOf(obj(at(ntry, 'BookgDt')), `${nw}/BookgDt`);
      if (!bookingDate) throw new StatementUnreadable('The entry has no booking date.', `${nw}/BookgDt`);
      const valueDate = dateOf(obj(at(ntry, 'ValDt')), `${nw}/ValDt`);
      const entryRef = str(ntry, 'AcctSvcrRef');
      const txs = list(ntry.NtryDtls).flatMap((d) => list(d.TxDtls));
      const base = { bookingDate, valueDate, currency: entry.currency ?? currency };
      if (txs.length === 0) {
        lines.push({
          ...base,
          amount: entryAmount,
          counterpartyName: null,
          counterpartyIban: null,
          reference: blankToNull(str(ntry, 'AddtlNtryInf')),
          endToEndId: null,
          bankReference: entryRef,
        });
        return;
      }
      txs.forEach((tx, ti) => {
        const tw = `${nw}/NtryDtls/TxDtls[${ti + 1}]`;
        const own = at(tx, 'Amt') ?? at(tx, 'AmtDtls/TxAmt/Amt');
        const amount =
          own === undefined
            ? txs.length === 1
              ? entryAmount
              : (() => {
                  throw new StatementUnreadable('A batch entry needs the amount of each transaction.', `${tw}/Amt`);
                })()
            : signed(amountOf(own, `${tw}/Amt`).amount, str(tx, 'CdtDbtInd') ?? indicator, `${tw}/CdtDbtInd`);
        const p = party(tx, !amount.startsWith('-'));
        const txRef = str(tx, 'Refs/AcctSvcrRef');
        const e2e = str(tx, 'Refs/EndToEndId');
        lines.push({
          ...base,
          amount,
          counterpartyName: p.name,
          counterpartyIban: p.iban,
          reference: remittance(tx) ?? blankToNull(str(ntry, 'AddtlNtryInf')),
          endToEndId: e2e && e2e !== 'NOTPROVIDED' ? e2e : null,
          bankReference: txRef ?? (entryRef ? (txs.length > 1 ? `${entryRef}/${ti + 1}` : entryRef) : null),
        });
      });
    });
  });
  const first = stmts[0]!;
  const last = stmts[stmts.length - 1]!;
  const period = bookingPeriod(lines);
  const fromTo = (s: Node, key: 'FrDtTm' | 'ToDtTm') => {
    const v = str(s, `FrToDt/${key}`);
    return v ? v.slice(0, 10) : null;
  };
  return {
    accountIban,
    currency,
    statementId: str(first, 'Id'),
    from: fromTo(first, 'FrDtTm') ?? period.from,
    to: fromTo(last, 'ToDtTm') ?? period.to,
    opening: balanceOf(first, ['OPBD', 'PRCD'], 'Stmt[1]'),
    closing: balanceOf(last, ['CLBD'], `Stmt[${stmts.length}]`),
    lines,
    pendingSkipped,
  };
}
