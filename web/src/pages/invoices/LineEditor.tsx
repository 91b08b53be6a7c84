import { ActionIcon, Grid, Select, Text, TextInput } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import type { Product, TaxRate } from '../../api/types';
import { DecimalInput } from '../../components/DecimalInput';
import { Money } from '../../components/Money';
import { ProductPicker } from '../../components/ProductPicker';
import { formatPercent } from '../../lib/money';
import { useIsMobile } from '../../lib/use-mobile';
import type { LineDraft } from './draft-state';

export const LINE_COLUMNS = {
  product: 5,
  description: 6,
  quantity: 2,
  price: 3,
  discount: 2,
  tax: 3,
  amount: 2,
  remove: 1,
};

/** "VAT 19 %" stays as it is; a name without its rate gets it: "Standard (19 %)". */
export function taxRateLabel(t: TaxRate): string {
  const pct = formatPercent(t.percentage);
  return t.name.replace(/\s/g, '').includes(pct.replace(/\s/g, '')) ? t.name : `${t.name} (${pct})`;
}

/** One invoice line: product, description, quantity, price, discount, tax rate; the amount comes from the server. */
export function LineEditor({
  line,
  index,
  products,
  taxRates,
  currency,
  amount,
  pending,
  fieldError,
  onChange,
  onRemove,
  onEnter,
}: {
  line: LineDraft;
  index: number;
  products: readonly Product[];
  taxRates: readonly TaxRate[];
  currency: string;
  amount: string | undefined;
  pending: boolean;
  fieldError: (param: string) => string | undefined;
  onChange: (line: LineDraft) => void;
  onRemove: () => void;
  onEnter: (field: string) => void;
}) {
  const mobile = useIsMobile();
  const err = (f: string) => fieldError(`line:${line.key}.${f}`);
  const lbl = (text: string) => (mobile ? text : undefined);
  const aria = (text: string) => `Line ${index + 1} ${text}`;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const field = (e.target as HTMLElement).dataset.field;
    if (e.key !== 'Enter' || !field || e.nativeEvent.isComposing) return;
    if (field === 'product' || field === 'tax_rate') return; // Enter chooses an option there
    e.preventDefault();
    onEnter(field);
  };

  const pick = (p: Product | null) => {
    if (!p) {
      onChange({ ...line, product: null });
      return;
    }
    onChange({
      ...line,
      product: p.id,
      description: p.description ?? p.name,
      unit_price: p.unit_price,
      tax_rate: p.tax_rate ?? line.tax_rate,
      unit: p.unit,
    });
  };

  return (
    <Grid
      columns={24}
      gutter="xs"
      align="flex-start"
      onKeyDown={onKeyDown}
      data-line-key={line.key}
      data-testid="invoice-line"
      py={mobile ? 'sm' : 2}
      style={mobile ? { borderTop: '1px solid var(--mantine-color-gray-3)' } : undefined}
    >
      <Grid.Col span={{ base: 24, sm: LINE_COLUMNS.product }}>
        <ProductPicker
          products={products}
          value={line.product}
          onPick={pick}
          label={lbl('Product')}
          aria-label={aria('product')}
          data-field="product"
          error={err('product')}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 24, sm: LINE_COLUMNS.description }}>
        <TextInput
          value={line.description}
          onChange={(e) => onChange({ ...line, description: e.currentTarget.value })}
          placeholder="Description"
          label={lbl('Description')}
          aria-label={aria('description')}
          data-field="description"
          error={err('description')}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 8, sm: LINE_COLUMNS.quantity }}>
        <DecimalInput
          value={line.quantity}
          onValue={(quantity) => onChange({ ...line, quantity })}
          label={lbl('Quantity')}
          aria-label={aria('quantity')}
          data-field="quantity"
          error={err('quantity')}
          styles={{ input: { textAlign: 'right' } }}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 16, sm: LINE_COLUMNS.price }}>
        <DecimalInput
          value={line.unit_price}
          onValue={(unit_price) => onChange({ ...line, unit_price })}
          placeholder="0.00"
          label={lbl(`Unit price (${currency})`)}
          aria-label={aria('unit price')}
          data-field="unit_price"
          error={err('unit_price')}
          styles={{ input: { textAlign: 'right' } }}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 8, sm: LINE_COLUMNS.discount }}>
        <TextInput
          value={line.discount_percent}
          onChange={(e) => onChange({ ...line, discount_percent: e.currentTarget.value })}
          inputMode="decimal"
          placeholder="%"
          label={lbl('Discount %')}
          aria-label={aria('discount percent')}
          data-field="discount_percent"
          error={err('discount_percent')}
          styles={{ input: { textAlign: 'right' } }}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 16, sm: LINE_COLUMNS.tax }}>
        <Select
          data={taxRates.map((t) => ({ value: t.id, label: taxRateLabel(t) }))}
          value={line.tax_rate}
          onChange={(v) => onChange({ ...line, tax_rate: v })}
          placeholder="Tax rate"
          label={lbl('Tax rate')}
          aria-label={aria('tax rate')}
          data-field="tax_rate"
          error={err('tax_rate')}
          allowDeselect={false}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 20, sm: LINE_COLUMNS.amount }}>
        <Text ta="right" pt={mobile ? 0 : 6} size="sm" className="amount" data-testid="line-amount">
          {pending ? (
            <Text span size="xs" c="dimmed">
              {mobile ? 'Needs a description, quantity and price' : 'incomplete'}
            </Text>
          ) : amount !== undefined ? (
            <Money amount={amount} currency={currency} />
          ) : (
            '…'
          )}
        </Text>
      </Grid.Col>
      <Grid.Col span={{ base: 4, sm: LINE_COLUMNS.remove }}>
        <ActionIcon
          variant="subtle"
          color="red"
          onClick={onRemove}
          aria-label={`Remove line ${index + 1}`}
          mt={4}
          tabIndex={-1}
        >
          ×
        </ActionIcon>
      </Grid.Col>
    </Grid>
  );
}
