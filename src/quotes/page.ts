import { escapeHtml } from '../platform/html';
import { recurrenceText } from './quote-pdf';
import type { QuoteOut } from './schemas';

// The hosted quote page: plain server-rendered HTML, every value escaped; accept and decline are form posts.

function money(amount: string, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

const STATUS_TEXT: Record<QuoteOut['status'], string> = {
  draft: 'Draft',
  sent: 'Awaiting your answer',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
};

export interface QuotePageInput {
  quote: QuoteOut;
  token: string;
  seller: string;
  customer: string;
  accentColor: string;
  locale: string;
  /** A sentence after an answer ("Thank you, ..."), or a refusal. */
  notice?: string | null;
}

export function hostedQuotePage(p: QuotePageInput): string {
  const q = p.quote;
  const m = (a: string) => escapeHtml(money(a, q.currency, p.locale));
  const base = `/q/${encodeURIComponent(p.token)}`;
  const row = (l: QuoteOut['lines'][number]) =>
    `<tr><td>${escapeHtml(l.description)}</td><td class="n">${escapeHtml(l.quantity)}</td><td class="n">${m(l.amount)}${
      l.recurring ? ` ${escapeHtml(recurrenceText(l.recurring))}` : ''
    }</td></tr>`;
  const oneTime = q.lines.filter((l) => !l.recurring);
  const recurring = q.lines.filter((l) => l.recurring);
  const taxes = q.tax_breakdown
    .map((g) => `<tr><td colspan="2">VAT ${escapeHtml(g.percentage)}%</td><td class="n">${m(g.tax_amount)}</td></tr>`)
    .join('');
  const open = q.status === 'sent';
  const actions = open
    ? `<div class="actions"><form method="post" action="${base}/accept"><button class="btn">Accept quote</button></form>
<form method="post" action="${base}/decline"><button class="btn secondary">Decline</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(p.locale.split('-')[0])}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Quote ${escapeHtml(q.number)} — ${escapeHtml(p.seller)}</title>
<style>
:root{--accent:${escapeHtml(p.accentColor)}}*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:760px;margin:0 auto;padding:16px}.card{background:#fff;border-radius:10px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0}h2{font-size:1.05rem;margin:0 0 8px}.badge{display:inline-block;padding:2px 10px;border-radius:99px;font-size:.85rem;font-weight:600;background:#eef;color:var(--accent)}
table{width:100%;border-collapse:collapse}td{padding:6px 0;border-bottom:1px solid #eee;vertical-align:top}.n{text-align:right;white-space:nowrap;padding-left:12px}tfoot td{border:0;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}form{margin:0}.btn{padding:10px 16px;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.btn.secondary{background:#fff;color:var(--accent)}.notice{background:#e6f4ea;color:#1a7f37}a{color:var(--accent)}
</style></head><body><main>
<header><strong>${escapeHtml(p.seller)}</strong></header>
${p.notice ? `<section class="card notice">${escapeHtml(p.notice)}</section>` : ''}
<section class="card"><h1>Quote ${escapeHtml(q.number)}</h1><span class="badge">${escapeHtml(STATUS_TEXT[q.status])}</span>
<p>For ${escapeHtml(p.customer)}${q.valid_until ? ` · valid until <strong>${escapeHtml(q.valid_until)}</strong>` : ''}</p>
${actions}<p><a href="${base}/pdf">Download PDF</a></p></section>
${
  oneTime.length
    ? `<section class="card"><h2>One-time</h2><table><tbody>${oneTime.map(row).join('')}</tbody><tfoot>
<tr><td colspan="2">Subtotal</td><td class="n">${m(q.subtotal)}</td></tr>${taxes}<tr><td colspan="2">Total</td><td class="n">${m(q.total)}</td></tr></tfoot></table></section>`
    : ''
}
${
  recurring.length
    ? `<section class="card"><h2>Recurring (plus VAT)</h2><table><tbody>${recurring.map(row).join('')}</tbody><tfoot>${q.recurring_totals
        .map(
          (t) =>
            `<tr><td colspan="2">Total ${escapeHtml(recurrenceText(t))}</td><td class="n">${m(t.amount)}</td></tr>`,
        )
        .join('')}</tfoot></table></section>`
    : ''
}
${q.notes ? `<section class="card"><h2>Notes</h2><p>${escapeHtml(q.notes)}</p></section>` : ''}
</main></body></html>`;
}
