import { minorUnits } from '../money/currencies';
import type { VatCategory } from './types';

export type Language = 'en' | 'de' | 'fr' | 'es';

export interface Labels {
  /** Between a label and its value: ": ", or " : " with a narrow no-break space in French. */
  colon: string;
  invoice: string;
  creditNote: string;
  statement: string;
  draft: string;
  void: string;
  invoiceNumber: string;
  creditNoteNumber: string;
  date: string;
  dueDate: string;
  servicePeriod: string;
  poNumber: string;
  buyerReference: string;
  billTo: string;
  taxId: string;
  email: string;
  phone: string;
  position: string;
  description: string;
  qty: string;
  unitPrice: string;
  vatRate: string;
  amount: string;
  discount: string;
  subtotal: string;
  subtotalInclusive: string;
  allowances: string;
  charges: string;
  vat: string;
  vatIncluded: string;
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountWrittenOff: string;
  amountDue: string;
  taxBreakdown: string;
  taxCategory: string;
  taxableAmount: string;
  taxAmount: string;
  categories: Record<VatCategory, string>;
  paymentInstructions: string;
  /** `{amount}` and `{date}` are filled in. */
  payBy: string;
  /** `{amount}` is filled in. */
  payNow: string;
  accountHolder: string;
  iban: string;
  bic: string;
  reference: string;
  scanToPay: string;
  payOnline: string;
  notes: string;
  page: string;
  of: string;
  creditedInvoice: string;
  invoiceDate: string;
  reason: string;
  totalCredited: string;
  creditTo: { invoice: string; customer_balance: string; refund: string };
  period: string;
  openingBalance: string;
  closingBalance: string;
  type: string;
  number: string;
  debit: string;
  credit: string;
  balance: string;
  statementTypes: Record<string, string>;
  /** Short unit names by UN/ECE rec. 20 code; an empty name prints the quantity alone. */
  units: Record<string, string>;
}

const en: Labels = {
  colon: ': ',
  invoice: 'Invoice',
  creditNote: 'Credit note',
  statement: 'Statement',
  draft: 'DRAFT',
  void: 'VOID',
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note number',
  date: 'Date',
  dueDate: 'Due date',
  servicePeriod: 'Service period',
  poNumber: 'PO number',
  buyerReference: 'Your reference',
  billTo: 'Bill to',
  taxId: 'VAT ID',
  email: 'Email',
  phone: 'Phone',
  position: '#',
  description: 'Description',
  qty: 'Qty',
  unitPrice: 'Unit price',
  vatRate: 'VAT',
  amount: 'Amount',
  discount: 'Discount',
  subtotal: 'Subtotal',
  subtotalInclusive: 'Subtotal (incl. VAT)',
  allowances: 'Allowances',
  charges: 'Charges',
  vat: 'VAT',
  vatIncluded: 'Included VAT',
  total: 'Total',
  amountPaid: 'Paid',
  amountCredited: 'Credited',
  amountWrittenOff: 'Written off',
  amountDue: 'Amount due',
  taxBreakdown: 'VAT breakdown',
  taxCategory: 'Category',
  taxableAmount: 'Taxable amount',
  taxAmount: 'VAT amount',
  categories: {
    S: 'Standard rate',
    Z: 'Zero rated',
    E: 'Exempt from VAT',
    AE: 'Reverse charge',
    K: 'Intra-community supply',
    G: 'Export outside the EU',
    O: 'Not subject to VAT',
  },
  paymentInstructions: 'Payment instructions',
  payBy: 'Please pay {amount} by {date}.',
  payNow: 'Please pay {amount}.',
  accountHolder: 'Account holder',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Reference',
  scanToPay: 'Scan to pay',
  payOnline: 'View and pay online',
  notes: 'Notes',
  page: 'Page',
  of: 'of',
  creditedInvoice: 'Credited invoice',
  invoiceDate: 'Invoice date',
  reason: 'Reason',
  totalCredited: 'Total credited',
  creditTo: {
    invoice: 'This amount is deducted from the invoice.',
    customer_balance: 'This amount is credited to your account balance.',
    refund: 'This amount is refunded to you.',
  },
  period: 'Period',
  openingBalance: 'Opening balance',
  closingBalance: 'Closing balance',
  type: 'Type',
  number: 'Number',
  debit: 'Debit',
  credit: 'Credit',
  balance: 'Balance',
  statementTypes: { invoice: 'Invoice', payment: 'Payment', credit_note: 'Credit note', refund: 'Refund' },
  units: {
    C62: '',
    H87: 'pcs',
    EA: 'ea',
    HUR: 'h',
    MIN: 'min',
    DAY: 'days',
    WEE: 'weeks',
    MON: 'months',
    ANN: 'years',
    KGM: 'kg',
    MTR: 'm',
    KMT: 'km',
    LTR: 'l',
    MTK: 'm²',
    E48: '',
  },
};

const de: Labels = {
  colon: ': ',
  invoice: 'Rechnung',
  creditNote: 'Rechnungskorrektur',
  statement: 'Kontoauszug',
  draft: 'ENTWURF',
  void: 'STORNIERT',
  invoiceNumber: 'Rechnungsnummer',
  creditNoteNumber: 'Korrekturnummer',
  date: 'Datum',
  dueDate: 'Fällig am',
  servicePeriod: 'Leistungszeitraum',
  poNumber: 'Bestellnummer',
  buyerReference: 'Ihre Referenz',
  billTo: 'Rechnungsempfänger',
  taxId: 'USt-IdNr.',
  email: 'E-Mail',
  phone: 'Telefon',
  position: 'Pos.',
  description: 'Beschreibung',
  qty: 'Menge',
  unitPrice: 'Einzelpreis',
  vatRate: 'USt.',
  amount: 'Betrag',
  discount: 'Rabatt',
  subtotal: 'Zwischensumme',
  subtotalInclusive: 'Zwischensumme (inkl. USt.)',
  allowances: 'Nachlässe',
  charges: 'Zuschläge',
  vat: 'Umsatzsteuer',
  vatIncluded: 'Enthaltene Umsatzsteuer',
  total: 'Gesamtbetrag',
  amountPaid: 'Bezahlt',
  amountCredited: 'Gutgeschrieben',
  amountWrittenOff: 'Ausgebucht',
  amountDue: 'Offener Betrag',
  taxBreakdown: 'Umsatzsteueraufstellung',
  taxCategory: 'Kategorie',
  taxableAmount: 'Nettobetrag',
  taxAmount: 'Steuerbetrag',
  categories: {
    S: 'Normalsatz',
    Z: 'Nullsatz',
    E: 'Steuerbefreit',
    AE: 'Steuerschuldnerschaft des Leistungsempfängers',
    K: 'Innergemeinschaftliche Lieferung',
    G: 'Ausfuhr außerhalb der EU',
    O: 'Nicht steuerbar',
  },
  paymentInstructions: 'Zahlungshinweise',
  payBy: 'Bitte überweisen Sie {amount} bis zum {date}.',
  payNow: 'Bitte überweisen Sie {amount}.',
  accountHolder: 'Kontoinhaber',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Verwendungszweck',
  scanToPay: 'Mit Banking-App scannen',
  payOnline: 'Online ansehen und bezahlen',
  notes: 'Hinweise',
  page: 'Seite',
  of: 'von',
  creditedInvoice: 'Korrigierte Rechnung',
  invoiceDate: 'Rechnungsdatum',
  reason: 'Grund',
  totalCredited: 'Gutschriftsbetrag',
  creditTo: {
    invoice: 'Der Betrag wird mit der Rechnung verrechnet.',
    customer_balance: 'Der Betrag wird Ihrem Kundenkonto gutgeschrieben.',
    refund: 'Der Betrag wird Ihnen erstattet.',
  },
  period: 'Zeitraum',
  openingBalance: 'Anfangssaldo',
  closingBalance: 'Endsaldo',
  type: 'Art',
  number: 'Nummer',
  debit: 'Soll',
  credit: 'Haben',
  balance: 'Saldo',
  statementTypes: { invoice: 'Rechnung', payment: 'Zahlung', credit_note: 'Rechnungskorrektur', refund: 'Erstattung' },
  units: {
    C62: '',
    H87: 'Stk.',
    EA: 'Stk.',
    HUR: 'Std.',
    MIN: 'Min.',
    DAY: 'Tage',
    WEE: 'Wochen',
    MON: 'Monate',
    ANN: 'Jahre',
    KGM: 'kg',
    MTR: 'm',
    KMT: 'km',
    LTR: 'l',
    MTK: 'm²',
    E48: '',
  },
};

const fr: Labels = {
  colon: '\u202f: ',
  invoice: 'Facture',
  creditNote: 'Avoir',
  statement: 'Relevé de compte',
  draft: 'BROUILLON',
  void: 'ANNULÉE',
  invoiceNumber: 'Numéro de facture',
  creditNoteNumber: "Numéro d'avoir",
  date: 'Date',
  dueDate: "Date d'échéance",
  servicePeriod: 'Période de prestation',
  poNumber: 'Bon de commande',
  buyerReference: 'Votre référence',
  billTo: 'Facturé à',
  taxId: 'N° TVA',
  email: 'E-mail',
  phone: 'Téléphone',
  position: 'N°',
  description: 'Désignation',
  qty: 'Qté',
  unitPrice: 'Prix unitaire',
  vatRate: 'TVA',
  amount: 'Montant',
  discount: 'Remise',
  subtotal: 'Total HT',
  subtotalInclusive: 'Sous-total TTC',
  allowances: 'Remises',
  charges: 'Frais',
  vat: 'TVA',
  vatIncluded: 'Dont TVA',
  total: 'Total TTC',
  amountPaid: 'Payé',
  amountCredited: 'Avoirs',
  amountWrittenOff: 'Passé en perte',
  amountDue: 'Montant dû',
  taxBreakdown: 'Détail de la TVA',
  taxCategory: 'Catégorie',
  taxableAmount: 'Base HT',
  taxAmount: 'Montant TVA',
  categories: {
    S: 'Taux normal',
    Z: 'Taux zéro',
    E: 'Exonéré de TVA',
    AE: 'Autoliquidation',
    K: 'Livraison intracommunautaire',
    G: "Exportation hors de l'UE",
    O: 'Hors champ de la TVA',
  },
  paymentInstructions: 'Modalités de paiement',
  payBy: 'Merci de régler {amount} avant le {date}.',
  payNow: 'Merci de régler {amount}.',
  accountHolder: 'Titulaire du compte',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Référence',
  scanToPay: 'Scanner pour payer',
  payOnline: 'Consulter et payer en ligne',
  notes: 'Remarques',
  page: 'Page',
  of: 'sur',
  creditedInvoice: 'Facture concernée',
  invoiceDate: 'Date de facture',
  reason: 'Motif',
  totalCredited: 'Total de l’avoir',
  creditTo: {
    invoice: 'Ce montant est déduit de la facture.',
    customer_balance: 'Ce montant est porté au crédit de votre compte.',
    refund: 'Ce montant vous est remboursé.',
  },
  period: 'Période',
  openingBalance: "Solde d'ouverture",
  closingBalance: 'Solde de clôture',
  type: 'Type',
  number: 'Numéro',
  debit: 'Débit',
  credit: 'Crédit',
  balance: 'Solde',
  statementTypes: { invoice: 'Facture', payment: 'Paiement', credit_note: 'Avoir', refund: 'Remboursement' },
  units: {
    C62: '',
    H87: 'pce',
    EA: 'pce',
    HUR: 'h',
    MIN: 'min',
    DAY: 'jours',
    WEE: 'semaines',
    MON: 'mois',
    ANN: 'ans',
    KGM: 'kg',
    MTR: 'm',
    KMT: 'km',
    LTR: 'l',
    MTK: 'm²',
    E48: '',
  },
};

const es: Labels = {
  colon: ': ',
  invoice: 'Factura',
  creditNote: 'Factura rectificativa',
  statement: 'Extracto de cuenta',
  draft: 'BORRADOR',
  void: 'ANULADA',
  invoiceNumber: 'Número de factura',
  creditNoteNumber: 'Número de rectificativa',
  date: 'Fecha',
  dueDate: 'Vencimiento',
  servicePeriod: 'Periodo de servicio',
  poNumber: 'Número de pedido',
  buyerReference: 'Su referencia',
  billTo: 'Facturar a',
  taxId: 'NIF-IVA',
  email: 'Correo',
  phone: 'Teléfono',
  position: 'N.º',
  description: 'Descripción',
  qty: 'Cant.',
  unitPrice: 'Precio unitario',
  vatRate: 'IVA',
  amount: 'Importe',
  discount: 'Descuento',
  subtotal: 'Base imponible',
  subtotalInclusive: 'Subtotal (IVA incl.)',
  allowances: 'Descuentos',
  charges: 'Recargos',
  vat: 'IVA',
  vatIncluded: 'IVA incluido',
  total: 'Total',
  amountPaid: 'Pagado',
  amountCredited: 'Abonado',
  amountWrittenOff: 'Cancelado',
  amountDue: 'Importe pendiente',
  taxBreakdown: 'Desglose del IVA',
  taxCategory: 'Categoría',
  taxableAmount: 'Base imponible',
  taxAmount: 'Cuota de IVA',
  categories: {
    S: 'Tipo general',
    Z: 'Tipo cero',
    E: 'Exento de IVA',
    AE: 'Inversión del sujeto pasivo',
    K: 'Entrega intracomunitaria',
    G: 'Exportación fuera de la UE',
    O: 'No sujeto a IVA',
  },
  paymentInstructions: 'Instrucciones de pago',
  payBy: 'Por favor, pague {amount} antes del {date}.',
  payNow: 'Por favor, pague {amount}.',
  accountHolder: 'Titular de la cuenta',
  iban: 'IBAN',
  bic: 'BIC',
  reference: 'Referencia',
  scanToPay: 'Escanear para pagar',
  payOnline: 'Ver y pagar en línea',
  notes: 'Notas',
  page: 'Página',
  of: 'de',
  creditedInvoice: 'Factura rectificada',
  invoiceDate: 'Fecha de factura',
  reason: 'Motivo',
  totalCredited: 'Total abonado',
  creditTo: {
    invoice: 'Este importe se descuenta de la factura.',
    customer_balance: 'Este importe se abona en su saldo de cliente.',
    refund: 'Este importe se le reembolsa.',
  },
  period: 'Periodo',
  openingBalance: 'Saldo inicial',
  closingBalance: 'Saldo final',
  type: 'Tipo',
  number: 'Número',
  debit: 'Debe',
  credit: 'Haber',
  balance: 'Saldo',
  statementTypes: { invoice: 'Factura', payment: 'Pago', credit_note: 'Rectificativa', refund: 'Reembolso' },
  units: {
    C62: '',
    H87: 'ud.',
    EA: 'ud.',
    HUR: 'h',
    MIN: 'min',
    DAY: 'días',
    WEE: 'semanas',
    MON: 'meses',
    ANN: 'años',
    KGM: 'kg',
    MTR: 'm',
    KMT: 'km',
    LTR: 'l',
    MTK: 'm²',
    E48: '',
  },
};

const DICTIONARIES: Record<Language, Labels> = { en, de, fr, es };
const FALLBACK_LOCALE = 'en-US';

/** The locale as Intl understands it; an invalid tag falls back to en-US. */
export function normalizeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

/** The dictionary's language for a locale: its language subtag if we have it, else English. */
export function languageOf(locale: string): Language {
  const language = normalizeLocale(locale).split('-')[0]?.toLowerCase();
  return language === 'de' || language === 'fr' || language === 'es' ? language : 'en';
}

export function labelsFor(locale: string): Labels {
  return DICTIONARIES[languageOf(locale)];
}

/** Fills `{name}` placeholders of a label template. */
export function fillLabel(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** "19.500" -> "19.5", "7.00" -> "7": a text operation, no arithmetic. */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function currencyDigits(currency: string): number {
  try {
    return minorUnits(currency);
  } catch {
    return 2;
  }
}

/**
 * Locale formatting of the exact decimal strings the API writes. Intl.NumberFormat receives the
 * string itself (exact in Node 20) with as many fraction digits as the string has, so nothing is
 * rounded and no amount passes through a JavaScript number.
 */
export class LocaleFormat {
  readonly locale: string;
  private readonly numberFormats = new Map<string, Intl.NumberFormat>();
  private readonly dateFormat: Intl.DateTimeFormat;
  private regionNames: Intl.DisplayNames | null = null;

  constructor(locale: string) {
    this.locale = normalizeLocale(locale);
    this.dateFormat = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' });
  }

  private numberFormat(key: string, options: () => Intl.NumberFormatOptions): Intl.NumberFormat {
    let format = this.numberFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(this.locale, options());
      this.numberFormats.set(key, format);
    }
    return format;
  }

  /** An amount with its currency, with exactly the digits the server gave ("1234.50" -> "1.234,50 €"). */
  money(amount: string, currency: string): string {
    if (!DECIMAL.test(amount)) return `${amount} ${currency}`;
    const digits = decimalsOf(amount);
    return this.numberFormat(`c:${currency}:${digits}:${digits}`, () => ({
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })).format(amount as `${number}`);
  }

  /** A unit price: at least the currency's minor digits, and every digit that was given. */
  unitPrice(amount: string, currency: string): string {
    if (!DECIMAL.test(amount)) return `${amount} ${currency}`;
    const min = currencyDigits(currency);
    const max = Math.max(min, decimalsOf(trimZeros(amount)));
    return this.numberFormat(`c:${currency}:${min}:${max}`, () => ({
      style: 'currency',
      currency,
      minimumFractionDigits: min,
      maximumFractionDigits: max,
    })).format(amount as `${number}`);
  }

  /** A quantity without trailing zeros ("2.500" -> "2,5"). */
  quantity(value: string): string {
    if (!DECIMAL.test(value)) return value;
    const text = trimZeros(value);
    const digits = decimalsOf(text);
    return this.numberFormat(`n:${digits}`, () => ({
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })).format(text as `${number}`);
  }

  /** A percentage as given, not scaled ("19.00" -> "19 %" in de-DE, "19%" in en-US). */
  percent(value: string): string {
    if (!DECIMAL.test(value)) return `${value} %`;
    const text = trimZeros(value);
    const digits = decimalsOf(text);
    return this.numberFormat(`p:${digits}`, () => ({
      style: 'unit',
      unit: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })).format(text as `${number}`);
  }

  /** A business date `YYYY-MM-DD` in the locale's medium style; anything else is printed as given. */
  date(iso: string): string {
    const match = ISO_DATE.exec(iso);
    if (!match) return iso;
    const [, y, m, d] = match;
    return this.dateFormat.format(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  }

  /** A country's name in the locale ("DE" -> "Deutschland"), or the code when unknown. */
  country(code: string): string {
    try {
      this.regionNames ??= new Intl.DisplayNames(this.locale, { type: 'region' });
      return this.regionNames.of(code.toUpperCase()) ?? code;
    } catch {
      return code;
    }
  }
}

const formats = new Map<string, LocaleFormat>();

/** One cached formatter per locale: Intl objects are costly to build and immutable. */
export function localeFormat(locale: string): LocaleFormat {
  const key = normalizeLocale(locale);
  let format = formats.get(key);
  if (!format) {
    format = new LocaleFormat(key);
    formats.set(key, format);
  }
  return format;
}
