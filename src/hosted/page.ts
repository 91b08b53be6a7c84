import type { InvoiceOut } from '../invoicing/schemas';
import { escapeHtml } from '../platform/html';

// The hosted invoice page: plain server-rendered HTML, readable on a phone, every value escaped.

function money(amount: string, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

const STATUS_TEXT: Record<InvoiceOut['status'], string> = {
  draft: 'Draft',
  posted: 'Open',
  paid: 'Paid',
  void: 'Void',
  uncollectible: 'Open',
};

export interface HostedPageInput {
  invoice: InvoiceOut;
  token: string;
  accentColor: string;
  locale: string;
  hasLogo: boolean;
  hasUbl: boolean;
  /** Online payment: "Pay now" when payable, a notice while an asynchronous payment is under way. */
  online?: { payable: boolean; processing: boolean; returned: boolean };
}

export function hostedInvoicePage(p: HostedPageInput): string {
  const inv = p.invoice;
  const seller = inv.seller_snapshot!;
  const buyer = inv.customer_snapshot!;
  const m = (a: string) => escapeHtml(money(a, inv.currency, p.locale));
  const status = inv.overdue ? 'Overdue' : STATUS_TEXT[inv.status];
  const open = inv.status === 'posted' || inv.status === 'uncollectible';
  const lines = inv.lines
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.description)}</td><td class="n">${escapeHtml(l.quantity)}</td><td class="n">${m(l.amount)}</td></tr>`,
    )
    .join('');
  const taxes = inv.tax_breakdown
    .map(
      (g) =>
        `<tr><td colspan="2">VAT ${escapeHtml(g.percentage)}% (${escapeHtml(g.category)})${g.exemption_reason ? ` — ${escapeHtml(g.exemption_reason)}` : ''}</td><td class="n">${m(g.tax_amount)}</td></tr>`,
    )
    .join('');
  const pay =
    open && seller.iban
      ? `<section class="card"><h2>How to pay</h2><p>Bank transfer to <strong>${escapeHtml(seller.name)}</strong></p><p>IBAN <code>${escapeHtml(seller.iban)}</code>${seller.bic ? `<br>BIC <code>${escapeHtml(seller.bic)}</code>` : ''}<br>Reference <code>${escapeHtml(inv.payment_reference ?? inv.number)}</code></p></section>`
      : '';
  const base = `/i/${encodeURIComponent(p.token)}`;
  const online = p.online;
  const payNow = online?.payable
    ? `<form id="pay" method="post" action="${base}/checkout"><button class="btn pay" type="submit">Pay now</button></form>`
    : '';
  const notice = !open
    ? ''
    : online?.processing
      ? '<p class="notice" role="status">Payment processing: your payment was started and is being confirmed by the bank.</p>'
      : online?.returned
        ? '<p class="notice" role="status">Thank you. We are confirming your payment; this page shows it as paid once it arrives.</p>'
        : '';
  return `<!doctype html>
<html lang="${escapeHtml(p.locale.split('-')[0])}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Invoice ${escapeHtml(inv.number)} — ${escapeHtml(seller.name)}</title>
<style>
:root{--accent:${escapeHtml(p.accentColor)}}*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:760px;margin:0 auto;padding:16px}header{display:flex;align-items:center;gap:12px;margin:8px 0 16px}header img{max-height:48px;max-width:160px}
.card{background:#fff;border-radius:10px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}h1{font-size:1.4rem;margin:0}h2{font-size:1.05rem;margin:0 0 8px}
.due{font-size:2rem;font-weight:700;margin:4px 0}.badge{display:inline-block;padding:2px 10px;border-radius:99px;font-size:.85rem;font-weight:600;background:#eef;color:var(--accent)}
.badge.Overdue{background:#fde8e8;color:#b42318}.badge.Paid{background:#e6f4ea;color:#1a7f37}table{width:100%;border-collapse:collapse}td{padding:6px 0;border-bottom:1px solid #eee;vertical-align:top}
.n{text-align:right;white-space:nowrap;padding-left:12px}tfoot td{border:0;font-weight:600}.actions{display:flex;flex-wrap:wrap;gap:8px}
.notice{background:#fff8e1;border-radius:8px;padding:8px 12px}form{margin:0}button.btn{border:0;font:inherit;font-weight:600;cursor:pointer}.btn.pay{background:#1a7f37}
.btn{display:inline-block;padding:10px 16px;border-radius:8px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}.btn.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
.parties{display:grid;grid-template-columns:1fr 1fr;gap:12px}@media(max-width:520px){.parties{grid-template-columns:1fr}.due{font-size:1.6rem}}code{font-size:.95em}
</style></head><body><main>
<header>${p.hasLogo ? `<img src="${base}/logo" alt="">` : ''}<strong>${escapeHtml(seller.name)}</strong></header>
<section class="card"><h1>Invoice ${escapeHtml(inv.number)}</h1><span class="badge ${escapeHtml(status)}">${escapeHtml(status)}</span>
<p class="due">${m(inv.amount_due)}</p><p>${open ? `due on <strong>${escapeHtml(inv.due_date)}</strong>` : 'nothing is due'} · issued ${escapeHtml(inv.issue_date)}</p>
${notice}<div class="actions">${payNow}<a class="btn" href="${base}/pdf">Download PDF</a>${p.hasUbl ? `<a class="btn secondary" href="${base}/ubl">E-invoice (UBL)</a>` : ''}</div></section>
${pay}
<section class="card parties"><div><h2>From</h2>${escapeHtml(seller.name)}<br>${escapeHtml(seller.address?.line1)} ${escapeHtml(seller.address?.city)}</div><div><h2>To</h2>${escapeHtml(buyer.name)}<br>${escapeHtml(buyer.address?.line1)} ${escapeHtml(buyer.address?.city)}</div></section>
<section class="card"><h2>Details</h2><table><tbody>${lines}</tbody><tfoot>
<tr><td colspan="2">Subtotal</td><td class="n">${m(inv.subtotal)}</td></tr>${taxes}<tr><td colspan="2">Total</td><td class="n">${m(inv.total)}</td></tr>
${inv.amount_paid.replace(/[0.]/g, '') !== '' ? `<tr><td colspan="2">Paid</td><td class="n">−${m(inv.amount_paid)}</td></tr>` : ''}
${inv.amount_credited.replace(/[0.]/g, '') !== '' ? `<tr><td colspan="2">Credited</td><td class="n">−${m(inv.amount_credited)}</td></tr>` : ''}
<tr><td colspan="2">Amount due</td><td class="n">${m(inv.amount_due)}</td></tr></tfoot></table></section>
</main></body></html>`;
}
