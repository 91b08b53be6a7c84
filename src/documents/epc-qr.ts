import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import QRCode from 'qrcode';
import { dec } from '../money/money';
import type { InvoiceView } from './types';

// SEPA credit transfer QR code ("GiroCode") per EPC069-12: twelve fields, one a line.
export const EPC_MAX_NAME = 70;
export const EPC_MAX_TEXT = 140;
export const EPC_MAX_REFERENCE = 35;
export const EPC_MAX_PAYLOAD_BYTES = 331;
export const EPC_MIN_AMOUNT = '0.01';
export const EPC_MAX_AMOUNT = '999999999.99';

export interface EpcPayment {
  /** Optional in version 002 (inside the EEA). */
  bic: string | null;
  beneficiaryName: string;
  iban: string;
  /** Euro amount as an exact decimal string, at most 2 decimals, 0.01..999999999.99. */
  amount: string;
  /** ISO 11649 creditor reference ("RF18 5390 0754 7034"): goes to the structured field. */
  reference: string | null;
  /** Free remittance text, used when there is no structured reference. */
  text: string | null;
}

export class EpcQrError extends Error {
  override readonly name = 'EpcQrError';
}

const AMOUNT = /^\d+(\.\d{1,2})?$/;

function codePoints(text: string): string[] {
  return Array.from(text);
}

/** One line of the payload: no line breaks inside, spaces collapsed, at most `max` characters. */
function field(text: string, max: number): string {
  return codePoints(text.replace(/\s+/g, ' ').trim()).slice(0, max).join('').trim();
}

/** True for an ISO 11649 creditor reference: RF, two check digits, 1..21 letters or digits, mod 97 = 1. */
export function isCreditorReference(reference: string): boolean {
  const compact = reference.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = Number.parseInt(ch, 36);
    for (const digit of String(value)) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The EPC069-12 payload (version 002, UTF-8, SCT), lines joined with "\n", no trailing empty lines. */
export function buildEpcPayload(payment: EpcPayment): string {
  const iban = electronicFormatIBAN(payment.iban) ?? '';
  if (!isValidIBAN(iban)) throw new EpcQrError(`Not a valid IBAN: ${payment.iban}`);
  const bic = payment.bic ? payment.bic.replace(/\s+/g, '').toUpperCase() : '';
  if (bic && !isValidBIC(bic)) throw new EpcQrError(`Not a valid BIC: ${payment.bic}`);
  if (!AMOUNT.test(payment.amount))
    throw new EpcQrError(`Not a euro amount with at most 2 decimals: ${payment.amount}`);
  const amount = dec(payment.amount);
  if (amount.lt(EPC_MIN_AMOUNT) || amount.gt(EPC_MAX_AMOUNT)) {
    throw new EpcQrError(`The amount must be between ${EPC_MIN_AMOUNT} and ${EPC_MAX_AMOUNT} euro: ${payment.amount}`);
  }
  let name = field(payment.beneficiaryName, EPC_MAX_NAME);
  if (!name) throw new EpcQrError('The beneficiary name is required.');

  const reference =
    payment.reference && isCreditorReference(payment.reference)
      ? payment.reference.replace(/\s+/g, '').toUpperCase()
      : '';
  let text = reference ? '' : field(payment.text ?? payment.reference ?? '', EPC_MAX_TEXT);

  const build = () => {
    const lines = ['BCD', '002', '1', 'SCT', bic, name, iban, `EUR${amount.toFixed(2)}`, '', reference, text];
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  };
  let payload = build();
  // Multi-byte text can pass the character limits and still exceed the 331 bytes: shorten the free text first.
  while (Buffer.byteLength(payload, 'utf8') > EPC_MAX_PAYLOAD_BYTES && text) {
    text = codePoints(text).slice(0, -1).join('').trim();
    payload = build();
  }
  while (Buffer.byteLength(payload, 'utf8') > EPC_MAX_PAYLOAD_BYTES && name) {
    name = codePoints(name).slice(0, -1).join('').trim();
    payload = build();
  }
  return payload;
}

/**
 * What the invoice's EPC QR code pays, or null when it gets none: only a posted EUR invoice with a
 * valid seller IBAN and an amount due between 0.01 and 999999999.99 euro.
 */
export function epcPaymentFor(invoice: InvoiceView, paymentReference: string): EpcPayment | null {
  const seller = invoice.seller_snapshot;
  if (
    invoice.currency !== 'EUR' ||
    invoice.number === null ||
    invoice.status === 'draft' ||
    invoice.status === 'void'
  ) {
    return null;
  }
  const iban = seller.iban ? electronicFormatIBAN(seller.iban) : null;
  if (!iban || !isValidIBAN(iban) || !AMOUNT.test(invoice.amount_due)) return null;
  const due = dec(invoice.amount_due);
  if (due.lt(EPC_MIN_AMOUNT) || due.gt(EPC_MAX_AMOUNT)) return null;
  const bic = seller.bic?.replace(/\s+/g, '').toUpperCase() ?? null;
  const reference = paymentReference.trim() || invoice.number;
  return {
    bic: bic && isValidBIC(bic) ? bic : null,
    beneficiaryName: seller.legal_name,
    iban,
    amount: invoice.amount_due,
    reference: isCreditorReference(reference) ? reference : null,
    text: isCreditorReference(reference) ? null : reference,
  };
}

// One byte segment holding the UTF-8 payload, error correction M, as EPC069-12 asks.
function segments(payload: string): QRCode.QRCodeSegment[] {
  return [{ mode: 'byte', data: new TextEncoder().encode(payload) }];
}

/** The QR symbol's modules, for drawing it as vector graphics. */
export function epcQrMatrix(payload: string): { size: number; isDark: (row: number, col: number) => boolean } {
  const { modules } = QRCode.create(segments(payload), { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (row, col) => modules.get(row, col) !== 0 };
}

/** The QR code as a PNG image (for the hosted page or an email). */
export async function epcQrPng(payload: string, options: { width?: number } = {}): Promise<Buffer> {
  return QRCode.toBuffer(segments(payload), {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    width: options.width ?? 300,
  });
}
