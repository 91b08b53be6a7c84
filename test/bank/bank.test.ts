import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type OrgClient, startTestServer, type TestServer } from '../helpers/server';
import { paymentSetup } from '../payments/fixtures';

const IBAN = 'DE89370400440532013000';
const isPostgres = !!process.env.DATABASE_URL;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Entry {
  amount: string;
  ref?: string;
  name?: string;
  iban?: string;
  svc?: string;
  date?: string;
  pending?: boolean;
}

/** A CAMT.053 001.08 file of booked (and pending) entries; money out as a negative amount. */
function camt(entries: Entry[], opts: { id?: string; opening?: string; closing?: string; iban?: string } = {}) {
  const bal = (code: string, amount: string) => {
    const neg = amount.startsWith('-');
    return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${neg ? amount.slice(1) : amount}</Amt><CdtDbtInd>${neg ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>2026-11-10</Dt></Dt></Bal>`;
  };
  const ntry = (e: Entry) => {
    const out = e.amount.startsWith('-');
    const party = out
      ? `<Cdtr><Pty><Nm>${e.name ?? ''}</Nm></Pty></Cdtr>${e.iban ? `<CdtrAcct><Id><IBAN>${e.iban}</IBAN></Id></CdtrAcct>` : ''}`
      : `<Dbtr><Pty><Nm>${e.name ?? ''}</Nm></Pty></Dbtr>${e.iban ? `<DbtrAcct><Id><IBAN>${e.iban}</IBAN></Id></DbtrAcct>` : ''}`;
    return `<Ntry><Amt Ccy="EUR">${out ? e.amount.slice(1) : e.amount}</Amt><CdtDbtInd>${out ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts><Cd>${e.pending ? 'PDNG' : 'BOOK'}</Cd></Sts><BookgDt><Dt>${e.date ?? '2026-11-10'}</Dt></BookgDt>${e.svc ? `<AcctSvcrRef>${e.svc}</AcctSvcrRef>` : ''}<NtryDtls><TxDtls><RltdPties>${party}</RltdPties>${e.ref ? `<RmtInf><Ustrd>${e.ref}</Ustrd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-11-10T06:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>${opts.id ?? 'S1'}</Id><FrToDt><FrDtTm>2026-11-10T00:00:00</FrDtTm><ToDtTm>2026-11-10T23:59:59</ToDtTm></FrToDt><Acct><Id><IBAN>${opts.iban ?? IBAN}</IBAN></Id></Acct>
${opts.opening ? bal('OPBD', opts.opening) : ''}${opts.closing ? bal('CLBD', opts.closing) : ''}
${entries.map(ntry).join('\n')}
</Stmt></BkToCstmrStmt></Document>`;
}

async function setup() {
  const org = await server.newOrg();
  const base = await paymentSetup(org);
  const account = await org.post('/api/v1/bank_accounts', { name: 'Main', iban: IBAN, currency: 'EUR' });
  expect(account.status).toBe(201);
  const upload = (xml: string, id = account.body.id as string) =>
    org.post(`/api/v1/bank_accounts/${id}/statements?format=camt053`, xml, { 'content-type': 'application/xml' });
  const lines = async () =>
    (await org.get(`/api/v1/bank_lines?bank_account=${account.body.id}`)).body.data as Record<string, any>[];
  return { org, ...base, account: account.body, upload, lines };
}

async function clean(org: OrgClient) {
  const check = await org.get('/api/v1/admin/check');
  expect(check.body).toMatchObject({ ok: true, violations: [] });
}

describe('bank accounts', () => {
  test('create, list, get, patch; a bank transfer is booked to the oldest active account in its currency', async () => {
    const { org, account, pay, invoice } = await setup();
    expect(account).toMatchObject({ name: 'Main', iban: IBAN, currency: 'EUR', ledger_account: '1000', active: true });
    const second = await org.post('/api/v1/bank_accounts', {
      name: 'Savings',
      iban: 'DE02120300000000202051',
      currency: 'EUR',
      ledger_account: '1010',
    });
    expect(second.body.ledger_account).toBe('1010');
    expect((await org.get('/api/v1/bank_accounts')).body.data).toHaveLength(2);
    const patched = await org.patch(`/api/v1/bank_accounts/${second.body.id}`, { name: 'Reserve' });
    expect(patched.body).toMatchObject({ name: 'Reserve', ledger_account: '1010' });
    expect((await org.get(`/api/v1/bank_accounts/${account.id}`)).body.id).toBe(account.id);
    const inv = await invoice('50.00');
    const p = await pay({ amount: '50.00', allocations: [{ invoice: inv.id, amount: '50.00' }] });
    expect(p.body.bank_account).toBe(account.id);
    const cash = await pay({ amount: '5.00', method: 'cash' });
    expect(cash.body.bank_account).toBeNull();
    const named = await pay({ amount: '5.00', method: 'card', bank_account: second.body.id });
    expect(named.body.bank_account).toBe(second.body.id);
    const given = await org.post('/api/v1/customers', {
      name: 'Hooli',
      currency: 'EUR',
      bank_accounts: ['DE44 5001 0517 5407 3249 31'],
    });
    expect(given.body.bank_accounts).toEqual(['DE44500105175407324931']);
    const cleared = await org.patch(`/api/v1/customers/${given.body.id}`, { bank_accounts: [] });
    expect(cleared.body.bank_accounts).toEqual([]);
    const sales = await org.keyWithRole('sales');
    expect((await sales.get('/api/v1/bank_accounts')).status).toBe(403);
  });
});

describe('statement import and matching', () => {
  test('exact RF reference confirms automatically; invoice numbers match whole tokens only; two numbers pay both', async () => {
    const { org, invoice, upload, lines, account } = await setup();
    const a = await invoice('100.00');
    const b = await invoice('40.00');
    const c = await invoice('60.00');
    const d = await invoice('77.00');
    const res = await upload(
      camt(
        [
          {
            amount: '100.00',
            ref: `Payment ${a.payment_reference.replace(/(.{4})/g, '$1 ')}`,
            svc: 'A1',
            iban: 'DE44500105175407324931',
          },
          { amount: '100.00', ref: `${b.number} and ${c.number}`, svc: 'A2' },
          { amount: '77.00', ref: `${d.number}0`, svc: 'A3' },
          { amount: '5.00', svc: 'A4', pending: true },
        ],
        { opening: '0.00', closing: '277.00' },
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      lines_imported: 3,
      lines_duplicate: 0,
      lines_pending_skipped: 1,
      balance_check: 'ok',
      matched_automatically: 2,
    });
    const all = await lines();
    const byRef = (svc: string) => all.find((l) => l.bank_reference === svc)!;
    expect(byRef('A1')).toMatchObject({ status: 'matched', match: { by: 'auto', customer: a.customer } });
    expect(byRef('A1').match.reasons.join(' ')).toContain(a.number);
    expect(
      byRef('A2')
        .match.invoices.map((i: any) => i.invoice)
        .sort(),
    ).toEqual([b.id, c.id].sort());
    // INV-…0 is not the number of d: only the unique amount (tier 5) suggests it.
    expect(byRef('A3').status).toBe('suggested');
    expect(byRef('A3').suggestions[0].confidence).toBe(0.4);
    const paid = (await org.get(`/api/v1/invoices/${a.id}`)).body;
    expect(paid.amount_due).toBe('0.00');
    const payment = (await org.get(`/api/v1/payments/${byRef('A1').payment}`)).body;
    expect(payment).toMatchObject({ method: 'bank_transfer', bank_account: account.id, date: '2026-11-10' });
    // The same file again: refused, nothing stored; another account's file: refused; unreadable: named.
    const again = await upload(
      camt(
        [
          {
            amount: '100.00',
            ref: `Payment ${a.payment_reference.replace(/(.{4})/g, '$1 ')}`,
            svc: 'A1',
            iban: 'DE44500105175407324931',
          },
          { amount: '100.00', ref: `${b.number} and ${c.number}`, svc: 'A2' },
          { amount: '77.00', ref: `${d.number}0`, svc: 'A3' },
          { amount: '5.00', svc: 'A4', pending: true },
        ],
        { opening: '0.00', closing: '277.00' },
      ),
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('statement_already_imported');
    const other = await upload(camt([{ amount: '1.00', svc: 'X' }], { iban: 'DE02120300000000202051' }));
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('statement_account_mismatch');
    const bad = await upload(camt([{ amount: 'abc', svc: 'Y' }]));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'statement_unreadable', param: 'Stmt[1]/Ntry[1]/Amt' });
    expect(await lines()).toHaveLength(3);
    // A second file overlapping the first: the known line is a duplicate.
    const next = await upload(
      camt(
        [
          { amount: '100.00', svc: 'A2' },
          { amount: '3.00', svc: 'B1' },
        ],
        { id: 'S2' },
      ),
    );
    expect(next.body).toMatchObject({ lines_imported: 1, lines_duplicate: 1, balance_check: 'not_given' });
    await clean(org);
  });

  test('partial, write-off, known IBAN and equal candidates wait as suggestions; accept, ignore, unmatch', async () => {
    const { org, invoice, upload, lines, customer, zero } = await setup();
    const partial = await invoice('500.00');
    const almost = await invoice('1000.00');
    const known = await invoice('321.00');
    const other = (await org.post('/api/v1/customers', { name: 'Initech Ltd', currency: 'EUR' })).body;
    const inv = async (cust: string, total: string) => {
      const draft = await org.post('/api/v1/invoices', {
        customer: cust,
        lines: [{ description: 'Work', quantity: '1', unit_price: total, tax_rate: zero.id }],
      });
      return (await org.post(`/api/v1/invoices/${draft.body.id}/post`)).body;
    };
    const twinA = await invoice('250.00');
    const twinB = await inv(other.id, '250.00');
    const first = await invoice('11.00');
    // The IBAN is learned from the first line's confirmed match.
    const res = await upload(
      camt([
        { amount: '11.00', ref: first.payment_reference, iban: 'FR1420041010050500013M02606', svc: 'F' },
        { amount: '200.00', ref: partial.payment_reference, svc: 'P' },
        { amount: '999.50', ref: almost.number, svc: 'W' },
        { amount: '321.00', iban: 'FR1420041010050500013M02606', name: 'Someone', svc: 'K' },
        { amount: '250.00', ref: `${twinA.payment_reference} ${twinB.payment_reference}`, svc: 'T' },
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lines_imported: 5, matched_automatically: 1 });
    const all = await lines();
    const line = (svc: string) => all.find((l) => l.bank_reference === svc)!;
    expect(line('P')).toMatchObject({ status: 'suggested' });
    expect(line('P').suggestions[0]).toMatchObject({
      confidence: 0.9,
      invoices: [{ invoice: partial.id, amount: '200.00' }],
      write_off: null,
    });
    expect(line('W').suggestions[0]).toMatchObject({
      confidence: 0.9,
      invoices: [{ invoice: almost.id, amount: '999.50' }],
      write_off: { amount: '0.50' },
    });
    expect(line('T').status).toBe('suggested');
    expect(line('T').suggestions.filter((s: any) => s.confidence === 0.99)).toHaveLength(2);
    // Accept the write-off suggestion: the invoice is settled.
    const accepted = await org.post(`/api/v1/bank_lines/${line('W').id}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'matched', match: { write_off: { amount: '0.50' } } });
    expect((await org.get(`/api/v1/invoices/${almost.id}`)).body.amount_due).toBe('0.00');
    const twice = await org.post(`/api/v1/bank_lines/${line('W').id}/accept`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('bank_line_already_matched');
    // A manual match with a running remainder left as credit; an invoice of another customer is refused.
    const wrong = await org.post(`/api/v1/bank_lines/${line('T').id}/match`, {
      customer: customer.id,
      invoices: [{ invoice: twinB.id, amount: '250.00' }],
    });
    expect(wrong.status).toBe(422);
    const tooMuch = await org.post(`/api/v1/bank_lines/${line('T').id}/match`, {
      customer: customer.id,
      invoices: [{ invoice: twinA.id, amount: '260.00' }],
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('allocation_exceeds_line');
    const byHand = await org.post(`/api/v1/bank_lines/${line('T').id}/match`, {
      customer: customer.id,
      invoices: [{ invoice: twinA.id, amount: '200.00' }],
    });
    expect(byHand.status).toBe(200);
    const payment = (await org.get(`/api/v1/payments/${byHand.body.payment}`)).body;
    expect(payment.unapplied_amount).toBe('50.00');
    // Unmatch reverses the payment it made and leaves the line alone on the next run.
    const undone = await org.post(`/api/v1/bank_lines/${line('T').id}/unmatch`, {});
    expect(undone.body).toMatchObject({ status: 'unmatched', payment: null });
    expect((await org.get(`/api/v1/payments/${byHand.body.payment}`)).body.status).toBe('reversed');
    expect((await org.get(`/api/v1/invoices/${twinA.id}`)).body.amount_due).toBe('250.00');
    const ignored = await org.post(`/api/v1/bank_lines/${line('P').id}/ignore`, { reason: 'Not ours' });
    expect(ignored.body).toMatchObject({ status: 'ignored', ignore_reason: 'Not ours' });
    const run = await org.post(`/api/v1/bank_accounts/${line('K').bank_account}/match`, {});
    expect(run.status).toBe(200);
    expect((await org.get(`/api/v1/bank_lines/${line('T').id}`)).body.status).toBe('unmatched');
    expect(line('K').status).toBe('suggested');
    expect(line('K').suggestions[0].confidence).toBe(0.8);
    expect(line('K').suggestions[0].invoices[0].invoice).toBe(known.id);
    expect((await org.get(`/api/v1/customers/${customer.id}`)).body.bank_accounts).toEqual([
      'FR1420041010050500013M02606',
    ]);
    await clean(org);
  });

  test('reconciliation: the difference is the unmatched lines and the payments no line links to', async () => {
    const { org, invoice, upload, account, pay } = await setup();
    const a = await invoice('100.00');
    await upload(
      camt(
        [
          { amount: '100.00', ref: a.payment_reference, svc: 'R1' },
          { amount: '30.00', svc: 'R2', name: 'Unknown' },
          { amount: '-12.00', svc: 'R3', name: 'Bank fee' },
        ],
        { opening: '1000.00', closing: '1118.00' },
      ),
    );
    await pay({ amount: '45.00', date: '2026-11-10' });
    const rec = await org.get(`/api/v1/bank_accounts/${account.id}/reconciliation?as_of=2026-11-12`);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({
      statement_balance: '1118.00',
      ledger_balance: '1145.00',
      unmatched_in: '30.00',
      unmatched_out: '-12.00',
      unlinked_ledger: '45.00',
      difference: '-27.00',
    });
    await clean(org);
  });

  test('concurrent imports of one file store it once; concurrent accepts of one line make one payment', async () => {
    const { org, invoice, upload, lines } = await setup();
    const a = await invoice('70.00');
    const file = camt([
      { amount: '70.00', ref: `${a.number}`, svc: 'C1', iban: 'DE44500105175407324931' },
      { amount: '7.00', svc: 'C2' },
    ]);
    const results = await Promise.all([upload(file), upload(file), upload(file)]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'statement_already_imported'),
    ).toBe(true);
    const all = await lines();
    expect(all).toHaveLength(2);
    const l = all.find((x) => x.bank_reference === 'C1')!;
    if (l.status === 'matched') await org.post(`/api/v1/bank_lines/${l.id}/unmatch`, {});
    const suggested = await org.post(`/api/v1/bank_lines/${l.id}/match`, {
      customer: a.customer,
      invoices: [{ invoice: a.id, amount: '70.00' }],
    });
    expect(suggested.status).toBe(200);
    await org.post(`/api/v1/bank_lines/${l.id}/unmatch`, {});
    await org.post(`/api/v1/bank_accounts/${l.bank_account}/match`, {});
    // A person unmatched it: the run leaves it; accept it by hand twice at once.
    const accepts = await Promise.all(
      [1, 2, 3].map(() =>
        org.post(`/api/v1/bank_lines/${l.id}/match`, {
          customer: a.customer,
          invoices: [{ invoice: a.id, amount: '70.00' }],
        }),
      ),
    );
    expect(accepts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(accepts.filter((r) => r.status === 409)).toHaveLength(2);
    const pays = (await org.get(`/api/v1/payments?customer=${a.customer}`)).body.data.filter(
      (p: any) => p.status === 'succeeded',
    );
    expect(pays).toHaveLength(1);
    expect(isPostgres || !isPostgres).toBe(true);
    await clean(org);
  });
});
