import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { type Decimal, formatAmount } from '../money/money';
import { stripInvalidXmlCharacters } from '../platform/input';
import { CURRENCY_NOT_SUPPORTED, checkEn16931, EInvoiceError, supportsEn16931 } from './en16931-checks';
import type { InvoiceDocument } from './types';
import {
  buildUblModel,
  type UblAllowanceCharge,
  type UblDocumentAllowanceCharge,
  type UblModel,
  type UblParty,
  type UblTaxCategory,
} from './ubl-model';

// UBL 2.1 serialization of a UblModel, elements in the order the UBL schemas require.

export type { RuleViolation } from './en16931-checks';
export { checkEn16931, EInvoiceError, supportsEn16931 } from './en16931-checks';
export type { InvoiceDocument, Party } from './types';
export { buildUblModel, type UblModel } from './ubl-model';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  xmlns: 'http://www.w3.org/2000/xmlns/',
};

/**
 * UBL 2.1 (Peppol BIS Billing 3.0) for an invoice or credit note, computed with computeTotals/netAmounts.
 * Throws EInvoiceError when the document would break an EN 16931 rule.
 */
export function renderUbl(doc: InvoiceDocument): string {
  return serializeUbl(checkedModel(doc));
}

/**
 * The document's model once it passes the EN 16931 checks: what renderUbl and the Factur-X CII serialize.
 * Throws EInvoiceError when the document would break an EN 16931 rule.
 */
export function checkedModel(doc: InvoiceDocument): UblModel {
  if (!supportsEn16931(doc.currency)) {
    throw new EInvoiceError([
      {
        rule: CURRENCY_NOT_SUPPORTED,
        message: `${doc.currency} has more than 2 minor digits, which EN 16931 cannot express.`,
      },
    ]);
  }
  const model = buildUblModel(doc);
  const violations = checkEn16931(model);
  if (violations.length > 0) throw new EInvoiceError(violations);
  return model;
}

/** Writes the model as it is, checked or not (tests use it on models built to break rules). */
export function serializeUbl(model: UblModel): string {
  const isInvoice = model.kind === 'invoice';
  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(isInvoice ? NS.invoice : NS.creditNote, isInvoice ? 'Invoice' : 'CreditNote')
    .att(NS.xmlns, 'xmlns:cac', NS.cac)
    .att(NS.xmlns, 'xmlns:cbc', NS.cbc);
  const amount = (parent: XMLBuilder, name: string, value: Decimal | null) => {
    if (value) cbc(parent, name, formatAmount(value, model.currency), { currencyID: model.currency });
  };

  cbc(root, 'CustomizationID', model.customizationId);
  cbc(root, 'ProfileID', model.profileId);
  cbc(root, 'ID', model.number);
  cbc(root, 'IssueDate', model.issueDate);
  if (isInvoice) cbc(root, 'DueDate', model.dueDate);
  cbc(root, isInvoice ? 'InvoiceTypeCode' : 'CreditNoteTypeCode', model.typeCode);
  cbc(root, 'Note', model.note);
  cbc(root, 'DocumentCurrencyCode', model.currency);
  cbc(root, 'BuyerReference', model.buyerReference);
  if (model.invoicePeriod) {
    const period = cac(root, 'InvoicePeriod');
    cbc(period, 'StartDate', model.invoicePeriod.start);
    cbc(period, 'EndDate', model.invoicePeriod.end);
  }
  if (model.orderReference) cbc(cac(root, 'OrderReference'), 'ID', model.orderReference);
  if (model.billingReference) {
    const ref = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(ref, 'ID', model.billingReference.number);
    cbc(ref, 'IssueDate', model.billingReference.issueDate);
  }
  party(cac(root, 'AccountingSupplierParty'), model.seller);
  party(cac(root, 'AccountingCustomerParty'), model.buyer);
  if (model.deliveryCountry) {
    const address = cac(cac(cac(root, 'Delivery'), 'DeliveryLocation'), 'Address');
    cbc(cac(address, 'Country'), 'IdentificationCode', model.deliveryCountry);
  }
  if (model.payment || (!isInvoice && model.dueDate)) {
    const means = cac(root, 'PaymentMeans');
    cbc(means, 'PaymentMeansCode', model.payment?.meansCode ?? '1');
    if (!isInvoice) cbc(means, 'PaymentDueDate', model.dueDate); // BT-9 of a credit note lives here
    cbc(means, 'PaymentID', model.payment?.paymentId);
    if (model.payment?.iban) {
      const account = cac(means, 'PayeeFinancialAccount');
      cbc(account, 'ID', model.payment.iban);
      if (model.payment.bic) cbc(cac(account, 'FinancialInstitutionBranch'), 'ID', model.payment.bic);
    }
  }
  for (const ac of model.allowancesCharges) allowanceCharge(root, ac, amount);

  const taxTotal = cac(root, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', model.taxTotal);
  for (const s of model.taxSubtotals) {
    const sub = cac(taxTotal, 'TaxSubtotal');
    amount(sub, 'TaxableAmount', s.taxableAmount);
    amount(sub, 'TaxAmount', s.taxAmount);
    taxCategory(sub, 'TaxCategory', s, s.exemptionReason);
  }

  const t = model.totals;
  const monetary = cac(root, 'LegalMonetaryTotal');
  amount(monetary, 'LineExtensionAmount', t.lineExtension);
  amount(monetary, 'TaxExclusiveAmount', t.taxExclusive);
  amount(monetary, 'TaxInclusiveAmount', t.taxInclusive);
  amount(monetary, 'AllowanceTotalAmount', t.allowanceTotal);
  amount(monetary, 'ChargeTotalAmount', t.chargeTotal);
  amount(monetary, 'PrepaidAmount', t.prepaid);
  amount(monetary, 'PayableAmount', t.payable);

  for (const line of model.lines) {
    const el = cac(root, isInvoice ? 'InvoiceLine' : 'CreditNoteLine');
    cbc(el, 'ID', line.id);
    cbc(el, isInvoice ? 'InvoicedQuantity' : 'CreditedQuantity', line.quantity, { unitCode: line.unitCode });
    amount(el, 'LineExtensionAmount', line.netAmount);
    for (const ac of line.allowancesCharges) allowanceCharge(el, ac, amount);
    const item = cac(el, 'Item');
    cbc(item, 'Name', line.name);
    taxCategory(item, 'ClassifiedTaxCategory', line.tax, null);
    const price = cac(el, 'Price');
    cbc(price, 'PriceAmount', line.price, { currencyID: model.currency });
    if (line.baseQuantity) cbc(price, 'BaseQuantity', line.baseQuantity, { unitCode: line.unitCode });
  }
  // A name stored with a control character must not make the document unparseable.
  return stripInvalidXmlCharacters(root.end({ prettyPrint: true }));
}

function cbc(parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>): void {
  if (value == null || value === '') return; // Peppol forbids empty elements (R008)
  parent.ele(NS.cbc, `cbc:${name}`, attrs).txt(value);
}

function cac(parent: XMLBuilder, name: string): XMLBuilder {
  return parent.ele(NS.cac, `cac:${name}`);
}

function party(parent: XMLBuilder, p: UblParty): void {
  const el = cac(parent, 'Party');
  if (p.endpoint) cbc(el, 'EndpointID', p.endpoint.id, { schemeID: p.endpoint.scheme });
  if (p.address) {
    const address = cac(el, 'PostalAddress');
    cbc(address, 'StreetName', p.address.line1);
    cbc(address, 'AdditionalStreetName', p.address.line2);
    cbc(address, 'CityName', p.address.city);
    cbc(address, 'PostalZone', p.address.postalCode);
    cbc(address, 'CountrySubentity', p.address.region);
    if (p.address.country) cbc(cac(address, 'Country'), 'IdentificationCode', p.address.country);
  }
  for (const [id, scheme] of [
    [p.vatId, 'VAT'],
    [p.taxRegistrationId, 'TAX'],
  ] as const) {
    if (!id) continue;
    const taxScheme = cac(el, 'PartyTaxScheme');
    cbc(taxScheme, 'CompanyID', id);
    cbc(cac(taxScheme, 'TaxScheme'), 'ID', scheme);
  }
  const legal = cac(el, 'PartyLegalEntity');
  cbc(legal, 'RegistrationName', p.name);
  cbc(legal, 'CompanyID', p.legalRegistrationId);
  if (p.email) cbc(cac(el, 'Contact'), 'ElectronicMail', p.email);
}

function taxCategory(parent: XMLBuilder, name: string, tax: UblTaxCategory, exemptionReason: string | null): void {
  const el = cac(parent, name);
  cbc(el, 'ID', tax.category);
  cbc(el, 'Percent', tax.percentage);
  cbc(el, 'TaxExemptionReason', exemptionReason);
  cbc(cac(el, 'TaxScheme'), 'ID', 'VAT');
}

function allowanceCharge(
  parent: XMLBuilder,
  ac: UblAllowanceCharge | UblDocumentAllowanceCharge,
  amount: (parent: XMLBuilder, name: string, value: Decimal | null) => void,
): void {
  const el = cac(parent, 'AllowanceCharge');
  cbc(el, 'ChargeIndicator', ac.charge ? 'true' : 'false');
  cbc(el, 'AllowanceChargeReason', ac.reason);
  cbc(el, 'MultiplierFactorNumeric', ac.percent);
  amount(el, 'Amount', ac.amount);
  amount(el, 'BaseAmount', ac.baseAmount);
  if ('tax' in ac) taxCategory(el, 'TaxCategory', ac.tax, null);
}
