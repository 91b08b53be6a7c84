import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { type Decimal, formatAmount } from '../money/money';
import { stripInvalidXmlCharacters } from '../platform/input';
import type { UblAllowanceCharge, UblDocumentAllowanceCharge, UblModel, UblParty, UblTaxCategory } from './ubl-model';

// UN/CEFACT Cross Industry Invoice (D16B) of a UblModel, as Factur-X 1.0 profile EN 16931 embeds it: the
// same model the EN 16931 checks validated, so the XML carries exactly the UBL's numbers. Elements in the
// order the CII schemas require.

/** BT-24 of the Factur-X EN 16931 profile. */
export const FACTURX_EN16931_GUIDELINE = 'urn:cen.eu:en16931:2017';

const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  xmlns: 'http://www.w3.org/2000/xmlns/',
};

export function serializeCii(model: UblModel): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(NS.rsm, 'rsm:CrossIndustryInvoice')
    .att(NS.xmlns, 'xmlns:rsm', NS.rsm)
    .att(NS.xmlns, 'xmlns:qdt', NS.qdt)
    .att(NS.xmlns, 'xmlns:ram', NS.ram)
    .att(NS.xmlns, 'xmlns:udt', NS.udt);
  const money = (value: Decimal) => formatAmount(value, model.currency);
  const amount = (parent: XMLBuilder, name: string, value: Decimal | null, attrs?: Record<string, string>) => {
    if (value) ram(parent, name, money(value), attrs);
  };

  const context = root.ele(NS.rsm, 'rsm:ExchangedDocumentContext');
  ram(group(context, 'GuidelineSpecifiedDocumentContextParameter'), 'ID', FACTURX_EN16931_GUIDELINE);

  const header = root.ele(NS.rsm, 'rsm:ExchangedDocument');
  ram(header, 'ID', model.number);
  ram(header, 'TypeCode', model.typeCode);
  date(group(header, 'IssueDateTime'), 'udt', model.issueDate);
  if (model.note) ram(group(header, 'IncludedNote'), 'Content', model.note);

  const transaction = root.ele(NS.rsm, 'rsm:SupplyChainTradeTransaction');
  for (const line of model.lines) {
    const item = group(transaction, 'IncludedSupplyChainTradeLineItem');
    ram(group(item, 'AssociatedDocumentLineDocument'), 'LineID', line.id);
    ram(group(item, 'SpecifiedTradeProduct'), 'Name', line.name);
    const price = group(group(item, 'SpecifiedLineTradeAgreement'), 'NetPriceProductTradePrice');
    ram(price, 'ChargeAmount', line.price);
    if (line.baseQuantity) ram(price, 'BasisQuantity', line.baseQuantity, { unitCode: line.unitCode });
    ram(group(item, 'SpecifiedLineTradeDelivery'), 'BilledQuantity', line.quantity, { unitCode: line.unitCode });
    const settlement = group(item, 'SpecifiedLineTradeSettlement');
    taxCategory(group(settlement, 'ApplicableTradeTax'), line.tax);
    for (const ac of line.allowancesCharges) allowanceCharge(settlement, ac, amount);
    amount(group(settlement, 'SpecifiedTradeSettlementLineMonetarySummation'), 'LineTotalAmount', line.netAmount);
  }

  const agreement = group(transaction, 'ApplicableHeaderTradeAgreement');
  ram(agreement, 'BuyerReference', model.buyerReference);
  party(group(agreement, 'SellerTradeParty'), model.seller);
  party(group(agreement, 'BuyerTradeParty'), model.buyer);
  if (model.orderReference)
    ram(group(agreement, 'BuyerOrderReferencedDocument'), 'IssuerAssignedID', model.orderReference);

  const delivery = group(transaction, 'ApplicableHeaderTradeDelivery');
  if (model.deliveryCountry)
    ram(group(group(delivery, 'ShipToTradeParty'), 'PostalTradeAddress'), 'CountryID', model.deliveryCountry);

  const settlement = group(transaction, 'ApplicableHeaderTradeSettlement');
  ram(settlement, 'PaymentReference', model.payment?.paymentId);
  ram(settlement, 'InvoiceCurrencyCode', model.currency);
  if (model.payment) {
    const means = group(settlement, 'SpecifiedTradeSettlementPaymentMeans');
    ram(means, 'TypeCode', model.payment.meansCode);
    if (model.payment.iban) ram(group(means, 'PayeePartyCreditorFinancialAccount'), 'IBANID', model.payment.iban);
    if (model.payment.bic) ram(group(means, 'PayeeSpecifiedCreditorFinancialInstitution'), 'BICID', model.payment.bic);
  }
  for (const s of model.taxSubtotals) {
    const tax = group(settlement, 'ApplicableTradeTax');
    amount(tax, 'CalculatedAmount', s.taxAmount);
    ram(tax, 'TypeCode', 'VAT');
    ram(tax, 'ExemptionReason', s.exemptionReason);
    amount(tax, 'BasisAmount', s.taxableAmount);
    ram(tax, 'CategoryCode', s.category);
    ram(tax, 'RateApplicablePercent', s.percentage);
  }
  if (model.invoicePeriod) {
    const period = group(settlement, 'BillingSpecifiedPeriod');
    date(group(period, 'StartDateTime'), 'udt', model.invoicePeriod.start);
    date(group(period, 'EndDateTime'), 'udt', model.invoicePeriod.end);
  }
  for (const ac of model.allowancesCharges) allowanceCharge(settlement, ac, amount);
  if (model.dueDate)
    date(group(group(settlement, 'SpecifiedTradePaymentTerms'), 'DueDateDateTime'), 'udt', model.dueDate);

  const t = model.totals;
  const totals = group(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  amount(totals, 'LineTotalAmount', t.lineExtension);
  amount(totals, 'ChargeTotalAmount', t.chargeTotal);
  amount(totals, 'AllowanceTotalAmount', t.allowanceTotal);
  amount(totals, 'TaxBasisTotalAmount', t.taxExclusive);
  amount(totals, 'TaxTotalAmount', model.taxTotal, { currencyID: model.currency });
  amount(totals, 'GrandTotalAmount', t.taxInclusive);
  amount(totals, 'TotalPrepaidAmount', t.prepaid);
  amount(totals, 'DuePayableAmount', t.payable);
  if (model.billingReference) {
    const ref = group(settlement, 'InvoiceReferencedDocument');
    ram(ref, 'IssuerAssignedID', model.billingReference.number);
    date(group(ref, 'FormattedIssueDateTime'), 'qdt', model.billingReference.issueDate);
  }
  // A name stored with a control character must not make the document unparseable.
  return stripInvalidXmlCharacters(root.end({ prettyPrint: true }));
}

function ram(parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>): void {
  if (value == null || value === '') return;
  parent.ele(NS.ram, `ram:${name}`, attrs).txt(value);
}

function group(parent: XMLBuilder, name: string): XMLBuilder {
  return parent.ele(NS.ram, `ram:${name}`);
}

/** A date as CII writes it: format 102, YYYYMMDD. */
function date(parent: XMLBuilder, prefix: 'udt' | 'qdt', value: string): void {
  parent.ele(NS[prefix], `${prefix}:DateTimeString`, { format: '102' }).txt(value.replaceAll('-', ''));
}

function party(el: XMLBuilder, p: UblParty): void {
  ram(el, 'Name', p.name);
  if (p.legalRegistrationId) ram(group(el, 'SpecifiedLegalOrganization'), 'ID', p.legalRegistrationId);
  if (p.email) ram(group(group(el, 'DefinedTradeContact'), 'EmailURIUniversalCommunication'), 'URIID', p.email);
  if (p.address) {
    const address = group(el, 'PostalTradeAddress');
    ram(address, 'PostcodeCode', p.address.postalCode);
    ram(address, 'LineOne', p.address.line1);
    ram(address, 'LineTwo', p.address.line2);
    ram(address, 'CityName', p.address.city);
    ram(address, 'CountryID', p.address.country);
    ram(address, 'CountrySubDivisionName', p.address.region);
  }
  if (p.endpoint) ram(group(el, 'URIUniversalCommunication'), 'URIID', p.endpoint.id, { schemeID: p.endpoint.scheme });
  // VA: a VAT identifier (BT-31, BT-48); FC: the seller's tax registration (BT-32).
  if (p.vatId) ram(group(el, 'SpecifiedTaxRegistration'), 'ID', p.vatId, { schemeID: 'VA' });
  if (p.taxRegistrationId) ram(group(el, 'SpecifiedTaxRegistration'), 'ID', p.taxRegistrationId, { schemeID: 'FC' });
}

function taxCategory(el: XMLBuilder, tax: UblTaxCategory): void {
  ram(el, 'TypeCode', 'VAT');
  ram(el, 'CategoryCode', tax.category);
  ram(el, 'RateApplicablePercent', tax.percentage);
}

function allowanceCharge(
  parent: XMLBuilder,
  ac: UblAllowanceCharge | UblDocumentAllowanceCharge,
  amount: (parent: XMLBuilder, name: string, value: Decimal | null) => void,
): void {
  const el = group(parent, 'SpecifiedTradeAllowanceCharge');
  el.ele(NS.ram, 'ram:ChargeIndicator')
    .ele(NS.udt, 'udt:Indicator')
    .txt(ac.charge ? 'true' : 'false');
  ram(el, 'CalculationPercent', ac.percent);
  amount(el, 'BasisAmount', ac.baseAmount);
  amount(el, 'ActualAmount', ac.amount);
  ram(el, 'Reason', ac.reason);
  if ('tax' in ac) taxCategory(group(el, 'CategoryTradeTax'), ac.tax);
}
