// OFX 1.x (SGML, leaf elements without end tags) and 2.x (XML) bank statements: the STMTTRN records.
import {
  blankToNull,
  compactIban,
  decodeText,
  type ParsedLine,
  type ParsedStatement,
  StatementUnreadable,
} from './statement';

interface Leaf {
  path: string[];
  value: string;
  line: number;
}

/** Walks the tags: aggregates open and close, leaves carry a value (their end tag is optional in OFX 1.x). */
function leavesOf(text: string): Leaf[] {
  const start = text.indexOf('<OFX>');
  if (start < 0) throw new StatementUnreadable('The file has no <OFX> element: it is not an OFX statement.', 'line 1');
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  const stack: string[] = [];
  const leaves: Leaf[] = [];
  const re = /<(\/?)([A-Za-z0-9.]+)>([^<]*)/g;
  re.lastIndex = start;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, close, tag, rest] = m;
    const name = tag!.toUpperCase();
    const value = rest!.trim();
    if (close) {
      if (stack[stack.length - 1] === name) stack.pop();
      else if (stack.includes(name)) {
        while (stack.length && stack[stack.length - 1] !== name) stack.pop();
        stack.pop();
      } else if (!leaves.some((l) => l.path[l.path.length - 1] === name))
        throw new StatementUnreadable(`</${name}> closes an element that was never opened.`, `line ${lineAt(m.index)}`);
    } else if (value !== '') leaves.push({ path: [...stack, name], value, line: lineAt(m.index) });
    else {
      stack.push(name);
      if (name === 'STMTTRN') leaves.push({ path: [...stack, '#start'], value: '', line: lineAt(m.index) });
    }
  }
  return leaves;
}

/** OFX date-times (YYYYMMDD[HHMMSS[.XXX]][[+-h:TZ]]): the date as written. */
function dateOf(leaf: Leaf): string {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(leaf.value);
  if (!m) throw new StatementUnreadable(`${leaf.value} is not an OFX date.`, `line ${leaf.line}`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function amountOf(leaf: Leaf): string {
  const v = leaf.value.replace(',', '.');
  if (!/^[+-]?\d+(\.\d+)?$/.test(v) && !/^[+-]?\.\d+$/.test(v))
    throw new StatementUnreadable(`The amount ${leaf.value} cannot be read.`, `line ${leaf.line}`);
  const n = v.replace(/^\+/, '');
  return n.startsWith('-.') ? `-0${n.slice(1)}` : n.startsWith('.') ? `0${n}` : n;
}

export function parseOfx(file: Buffer): ParsedStatement {
  const leaves = leavesOf(decodeText(file));
  const find = (name: string, parent?: string) =>
    leaves.find((l) => l.path[l.path.length - 1] === name && (!parent || l.path.includes(parent)));
  const lines: ParsedLine[] = [];
  let current: Map<string, Leaf> | null = null;
  const flush = () => {
    if (!current) return;
    const posted = current.get('DTPOSTED');
    const amount = current.get('TRNAMT');
    const where = `line ${[...current.values()][0]?.line ?? 1}`;
    if (!posted) throw new StatementUnreadable('A transaction has no DTPOSTED.', where);
    if (!amount) throw new StatementUnreadable('A transaction has no TRNAMT.', where);
    const name = current.get('NAME')?.value ?? current.get('PAYEE')?.value ?? null;
    lines.push({
      bookingDate: dateOf(posted),
      valueDate: current.get('DTUSER') ? dateOf(current.get('DTUSER')!) : null,
      amount: amountOf(amount),
      currency: current.get('CURRENCY')?.value ?? null,
      counterpartyName: blankToNull(name),
      counterpartyIban: compactIban(current.get('BANKACCTTO.ACCTID')?.value ?? null),
      reference: blankToNull(current.get('MEMO')?.value ?? current.get('REFNUM')?.value ?? null),
      endToEndId: null,
      bankReference: blankToNull(current.get('FITID')?.value ?? null),
    });
    current = null;
  };
  for (const leaf of leaves) {
    const i = leaf.path.lastIndexOf('STMTTRN');
    if (leaf.path[leaf.path.length - 1] === '#start') {
      flush();
      current = new Map();
      continue;
    }
    if (i < 0 || !current) {
      flush();
      continue;
    }
    const key = leaf.path.slice(i + 1).join('.');
    current.set(key === 'BANKACCTTO.ACCTID' ? key : leaf.path[leaf.path.length - 1]!, leaf);
  }
  flush();
  const account = find('ACCTID', 'BANKACCTFROM');
  const start = find('DTSTART');
  const end = find('DTEND');
  const ledger = find('BALAMT', 'LEDGERBAL');
  return {
    accountIban: compactIban(account?.value),
    currency: find('CURDEF')?.value ?? null,
    statementId: null,
    from: start ? dateOf(start) : null,
    to: end ? dateOf(end) : null,
    opening: null,
    closing: ledger ? amountOf(ledger) : null,
    lines,
    pendingSkipped: 0,
  };
}
