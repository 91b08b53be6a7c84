import { expect, test } from 'vitest';
import { overlappingText, readPdf } from './pdf-text';
import { sampleBranding, sampleStatement } from './sample-documents';
import { renderStatementPdf } from './statement-pdf';
import type { StatementLineView } from './types';

test('a Spanish statement lists opening balance, each document with debit or credit, and the closing balance', async () => {
  const { text } = await readPdf(await renderStatementPdf(sampleStatement(), sampleBranding({ locale: 'es-ES' })));
  expect(text).toContain('Extracto de cuenta');
  expect(text).toContain('Periodo 1 ene 2026 – 31 mar 2026');
  expect(text).toContain('Fecha Tipo Número Debe Haber Saldo');
  expect(text).toContain('1 ene 2026 Saldo inicial 250,00 €');
  expect(text).toContain('3 feb 2026 Factura INV-2026-000042 357,00 € 607,00 €');
  expect(text).toContain('10 feb 2026 Rectificativa CN-2026-000007 119,00 € 488,00 €');
  expect(text).toContain('20 feb 2026 Pago 250,00 € 238,00 €');
  expect(text).toContain('Saldo final 238,00 €');
  expect(text).toContain('Página 1 de 1');
});

test('a long statement continues over pages with its header repeated', async () => {
  const lines: StatementLineView[] = Array.from({ length: 90 }, (_, i) => ({
    date: '2026-02-03',
    type: i % 2 === 0 ? 'invoice' : 'payment',
    document: `doc_${i}`,
    number: i % 2 === 0 ? `INV-2026-${String(i).padStart(6, '0')}` : null,
    debit: i % 2 === 0 ? '10.00' : null,
    credit: i % 2 === 0 ? null : '10.00',
    balance: i % 2 === 0 ? '260.00' : '250.00',
  }));
  const pdf = await readPdf(
    await renderStatementPdf(
      sampleStatement({ lines, closing_balance: '250.00' }),
      sampleBranding({ locale: 'en-US' }),
    ),
  );
  expect(pdf.pages.length).toBeGreaterThan(1);
  for (const page of pdf.pages) expect(page).toContain('Date Type Number Debit Credit Balance');
  expect(pdf.pages.at(-1)).toContain('Closing balance €250.00');
  expect([...pdf.text.matchAll(/INV-2026-\d+/g)]).toHaveLength(45);
  for (const boxes of pdf.boxes) expect(overlappingText(boxes)).toEqual([]);
});
