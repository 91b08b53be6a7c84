import { Divider, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Invoice } from '../api/types';
import { formatPercent, isZero } from '../lib/money';
import { Money } from './Money';

function Row({
  label,
  children,
  strong,
  testId,
}: {
  label: ReactNode;
  children: ReactNode;
  strong?: boolean;
  testId?: string;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="md">
      <Text size="sm" fw={strong ? 700 : 400}>
        {label}
      </Text>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : 400} className="amount" data-testid={testId}>
        {children}
      </Text>
    </Group>
  );
}

const CATEGORY: Record<string, string> = {
  S: 'VAT',
  Z: 'Zero rated',
  E: 'Exempt',
  AE: 'Reverse charge',
  K: 'Intra-community',
  G: 'Export',
  O: 'Outside scope',
};

/** The invoice's totals exactly as the server computed them (API.md "Amounts"). */
export function TotalsPanel({ invoice, stale }: { invoice: Invoice; stale?: boolean }) {
  const c = invoice.currency;
  return (
    <Paper withBorder p="md" style={{ opacity: stale ? 0.6 : 1 }} data-testid="totals">
      <Stack gap={6}>
        <Row label="Subtotal" testId="subtotal">
          <Money amount={invoice.subtotal} currency={c} />
        </Row>
        {!isZero(invoice.allowance_total) ? (
          <Row label="Allowances">
            − <Money amount={invoice.allowance_total} currency={c} />
          </Row>
        ) : null}
        {!isZero(invoice.charge_total) ? (
          <Row label="Charges">
            <Money amount={invoice.charge_total} currency={c} />
          </Row>
        ) : null}
        {invoice.tax_breakdown.map((g) => (
          <Row
            key={`${g.category}-${g.percentage}`}
            label={
              <>
                {CATEGORY[g.category] ?? g.category} {formatPercent(g.percentage)}{' '}
                <Text span size="xs" c="dimmed">
                  on <Money amount={g.taxable_amount} currency={c} />
                </Text>
              </>
            }
          >
            <Money amount={g.tax_amount} currency={c} />
          </Row>
        ))}
        <Row label={invoice.tax_behavior === 'inclusive' ? 'Tax (included)' : 'Tax'} testId="tax-total">
          <Money amount={invoice.tax_total} currency={c} />
        </Row>
        <Divider />
        <Row label="Total" strong testId="invoice-total">
          <Money amount={invoice.total} currency={c} />
        </Row>
        {invoice.status !== 'draft' ? (
          <>
            {!isZero(invoice.amount_paid) ? (
              <Row label="Paid">
                − <Money amount={invoice.amount_paid} currency={c} />
              </Row>
            ) : null}
            {!isZero(invoice.amount_credited) ? (
              <Row label="Credited">
                − <Money amount={invoice.amount_credited} currency={c} />
              </Row>
            ) : null}
            {!isZero(invoice.amount_written_off) ? (
              <Row label="Written off">
                − <Money amount={invoice.amount_written_off} currency={c} />
              </Row>
            ) : null}
            <Row label="Amount due" strong testId="amount-due">
              <Money amount={invoice.amount_due} currency={c} />
            </Row>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
