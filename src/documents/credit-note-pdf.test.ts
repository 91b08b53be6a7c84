import { expect, test } from 'vitest';
import { renderCreditNotePdf } from './credit-note-pdf';
import { readPdf } from './pdf-text';
import { sampleBranding, sampleCreditNote } from './sample-documents';

test('a French credit note names the credited invoice, its lines, VAT and total credited', async () => {
  const { text, pages } = await readPdf(
    await renderCreditNotePdf(sampleCreditNote(), sampleBranding({ locale: 'fr-FR' })),
  );
  expect(pages).toHaveLength(1);
  expect(text).toContain('Avoir CN-2026-000007');
  expect(text).toContain("Numéro d'avoir CN-2026-000007");
  expect(text).toContain('Date 10 févr. 2026');
  expect(text).toContain('Facture concernée INV-2026-000042');
  expect(text).toContain('Motif');
  expect(text).toContain('Work package 2 was not delivered.');
  expect(text).toContain('1 Consulting services, work package 2 2 h 50,00 € 100,00 €');
  expect(text).toContain('Total HT 100,00 €');
  expect(text).toContain('TVA 19,00 €');
  expect(text).toContain('Total de l’avoir 119,00 €');
  expect(text).toContain('Ce montant est déduit de la facture.');
  expect(text).toContain('Łódź Ñandú Müller € GmbH');
});

test('a credit by amount has no lines table; a void credit note is marked', async () => {
  const byAmount = sampleCreditNote({ lines: null, credit_to: 'customer_balance', status: 'void' });
  const { text } = await readPdf(await renderCreditNotePdf(byAmount, sampleBranding({ locale: 'en-GB' })));
  expect(text).toContain('Credit note CN-2026-000007');
  expect(text).not.toContain('Unit price');
  expect(text).toContain('Total credited €119.00');
  expect(text).toContain('This amount is credited to your account balance.');
  expect(text).toContain('VOID');
});

test('a non-standard VAT group on a credit note prints its exemption reason', async () => {
  const note = sampleCreditNote({
    tax_breakdown: [
      {
        category: 'AE',
        percentage: '0',
        exemption_reason: 'Steuerschuldnerschaft des Leistungsempfängers',
        taxable_amount: '100.00',
        tax_amount: '0.00',
      },
    ],
  });
  const { text } = await readPdf(await renderCreditNotePdf(note, sampleBranding()));
  expect(text).toContain('Rechnungskorrektur CN-2026-000007');
  expect(text).toContain('Steuerschuldnerschaft des Leistungsempfängers 0 % 100,00 € 0,00 €');
  expect(text).toMatch(/0,00 €\s+Steuerschuldnerschaft des Leistungsempfängers/);
});
