import {
  type Column,
  drawLetterhead,
  drawParties,
  drawTable,
  drawTitle,
  drawTotals,
  finishDocument,
  startDocument,
  type TableRow,
} from './layout';
import type { Branding, StatementView } from './types';

/** The customer's statement of account for a period as a PDF. */
export async function renderStatementPdf(statement: StatementView, branding: Branding): Promise<Buffer> {
  const layout = startDocument(branding, {
    title: (labels) => `${labels.statement} ${statement.customer_snapshot.name}`,
    author: statement.seller_snapshot.legal_name,
    date: statement.to,
  });
  const { labels, format } = layout;
  const money = (amount: string | null) => (amount === null ? '' : format.money(amount, statement.currency));

  let y = drawLetterhead(layout, statement.seller_snapshot, branding.logo);
  y = drawTitle(layout, y, labels.statement, null, null);
  y = drawParties(layout, y, labels.billTo, statement.customer_snapshot, [
    [labels.period, `${format.date(statement.from)} – ${format.date(statement.to)}`],
    [labels.openingBalance, money(statement.opening_balance)],
    [labels.closingBalance, money(statement.closing_balance)],
  ]);

  const columns: Column[] = [
    { header: labels.date, width: 72 },
    { header: labels.type, width: 'fill', wrap: true },
    { header: labels.number, width: 110 },
    { header: labels.debit, width: 78, align: 'right' },
    { header: labels.credit, width: 78, align: 'right' },
    { header: labels.balance, width: 84, align: 'right' },
  ];
  const rows: TableRow[] = [
    { cells: [format.date(statement.from), labels.openingBalance, '', '', '', money(statement.opening_balance)] },
    ...statement.lines.map((line) => ({
      cells: [
        format.date(line.date),
        labels.statementTypes[line.type] ?? line.type,
        line.number ?? '',
        money(line.debit),
        money(line.credit),
        money(line.balance),
      ],
    })),
  ];
  y = drawTable(layout, y, columns, rows);
  drawTotals(layout, y, [{ label: labels.closingBalance, value: money(statement.closing_balance), emphasis: 'final' }]);

  return finishDocument(layout, { footer: branding.footer, watermark: null });
}
