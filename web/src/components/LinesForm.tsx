import { ActionIcon, Button, Checkbox, Grid, Select, Stack, Text, TextInput } from '@mantine/core';
import type { Product, TaxRate } from '../api/types';
import { blankLine, type SimpleLine } from '../lib/simple-lines';
import { taxRateLabel } from '../pages/invoices/LineEditor';
import { ProductPicker } from './ProductPicker';

/** Lines of a quote or subscription: product, description, quantity, price, tax, and recurrence or usage. */
export function LinesForm({
  lines,
  onChange,
  products,
  taxRates,
  currency,
  fieldError,
  recurring,
  usage,
  discount,
}: {
  lines: readonly SimpleLine[];
  onChange: (lines: SimpleLine[]) => void;
  products: readonly Product[];
  taxRates: readonly TaxRate[];
  currency: string;
  fieldError: (param: string) => string | undefined;
  recurring?: boolean;
  usage?: boolean;
  discount?: boolean;
}) {
  const set = (i: number, l: SimpleLine) => onChange(lines.map((x, j) => (j === i ? l : x)));
  const defaultRate = taxRates.find((t) => t.active && t.category === 'S')?.id ?? taxRates[0]?.id ?? null;
  return (
    <Stack gap="xs">
      {lines.map((l, i) => {
        const err = (f: string) => fieldError(`line:${l.key}.${f}`);
        return (
          <Grid key={l.key} columns={24} gutter="xs" align="flex-end" data-testid="form-line">
            <Grid.Col span={{ base: 24, sm: 5 }}>
              <ProductPicker
                products={products.filter((p) => p.currency === currency)}
                value={l.product}
                label={i === 0 ? 'Product' : undefined}
                aria-label={`Line ${i + 1} product`}
                onPick={(p) =>
                  set(
                    i,
                    p
                      ? {
                          ...l,
                          product: p.id,
                          description: p.description ?? p.name,
                          unit_price: p.unit_price,
                          tax_rate: p.tax_rate ?? l.tax_rate,
                        }
                      : { ...l, product: null },
                  )
                }
                error={err('product')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 24, sm: 6 }}>
              <TextInput
                label={i === 0 ? 'Description' : undefined}
                aria-label={`Line ${i + 1} description`}
                value={l.description}
                onChange={(e) => set(i, { ...l, description: e.currentTarget.value })}
                error={err('description')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 8, sm: 2 }}>
              <TextInput
                label={i === 0 ? 'Qty' : undefined}
                aria-label={`Line ${i + 1} quantity`}
                inputMode="decimal"
                disabled={l.usage}
                value={l.usage ? '' : l.quantity}
                onChange={(e) => set(i, { ...l, quantity: e.currentTarget.value })}
                error={err('quantity')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 16, sm: 3 }}>
              <TextInput
                label={i === 0 ? `Price (${currency})` : undefined}
                aria-label={`Line ${i + 1} unit price`}
                inputMode="decimal"
                value={l.unit_price}
                onChange={(e) => set(i, { ...l, unit_price: e.currentTarget.value })}
                error={err('unit_price')}
              />
            </Grid.Col>
            {discount ? (
              <Grid.Col span={{ base: 8, sm: 2 }}>
                <TextInput
                  label={i === 0 ? 'Disc. %' : undefined}
                  aria-label={`Line ${i + 1} discount percent`}
                  inputMode="decimal"
                  value={l.discount_percent}
                  onChange={(e) => set(i, { ...l, discount_percent: e.currentTarget.value })}
                  error={err('discount_percent')}
                />
              </Grid.Col>
            ) : null}
            <Grid.Col span={{ base: 16, sm: 3 }}>
              <Select
                label={i === 0 ? 'Tax' : undefined}
                aria-label={`Line ${i + 1} tax rate`}
                data={taxRates.map((t) => ({ value: t.id, label: taxRateLabel(t) }))}
                value={l.tax_rate}
                onChange={(v) => set(i, { ...l, tax_rate: v })}
                error={err('tax_rate')}
              />
            </Grid.Col>
            {recurring ? (
              <Grid.Col span={{ base: 20, sm: 3 }}>
                <Select
                  label={i === 0 ? 'Billing' : undefined}
                  aria-label={`Line ${i + 1} billing`}
                  data={[
                    { value: 'none', label: 'Once' },
                    { value: 'month', label: 'Monthly' },
                    { value: 'quarter', label: 'Quarterly' },
                    { value: 'year', label: 'Yearly' },
                  ]}
                  value={l.recurring}
                  allowDeselect={false}
                  onChange={(v) => v && set(i, { ...l, recurring: v as SimpleLine['recurring'] })}
                />
              </Grid.Col>
            ) : null}
            {usage ? (
              <Grid.Col span={{ base: 20, sm: 3 }}>
                <Checkbox
                  label="By usage"
                  checked={l.usage}
                  onChange={(e) => set(i, { ...l, usage: e.currentTarget.checked })}
                  mb={8}
                />
              </Grid.Col>
            ) : null}
            <Grid.Col span={{ base: 4, sm: 1 }}>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove line ${i + 1}`}
                onClick={() => onChange(lines.length > 1 ? lines.filter((_, j) => j !== i) : [blankLine(defaultRate)])}
                mb={4}
              >
                ×
              </ActionIcon>
            </Grid.Col>
          </Grid>
        );
      })}
      <div>
        <Button
          variant="light"
          size="xs"
          onClick={() => onChange([...lines, blankLine(lines.at(-1)?.tax_rate ?? defaultRate)])}
        >
          Add line
        </Button>
      </div>
      {taxRates.length === 0 ? (
        <Text size="xs" c="dimmed">
          Lines need a tax rate: add one in Settings → Tax rates.
        </Text>
      ) : null}
    </Stack>
  );
}
