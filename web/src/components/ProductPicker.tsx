import { Select, type SelectProps } from '@mantine/core';
import type { Product } from '../api/types';
import { formatPrice } from '../lib/money';

/** Picks one of the organization's active products in the invoice's currency. */
export function ProductPicker({
  products,
  value,
  onPick,
  ...props
}: {
  products: readonly Product[];
  value: string | null;
  onPick: (product: Product | null) => void;
} & Omit<SelectProps, 'value' | 'onChange' | 'data'>) {
  return (
    <Select
      searchable
      clearable
      placeholder="Product"
      nothingFoundMessage="No product matches"
      data={products.map((p) => ({
        value: p.id,
        label: `${p.name}${p.sku ? ` · ${p.sku}` : ''} · ${formatPrice(p.unit_price, p.currency)}`,
      }))}
      value={value}
      onChange={(id) => onPick(products.find((p) => p.id === id) ?? null)}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}
