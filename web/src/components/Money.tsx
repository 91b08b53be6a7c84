import { Text, type TextProps } from '@mantine/core';
import { formatMoney } from '../lib/money';

/** An amount in its currency, formatted from the API's decimal string. */
export function Money({
  amount,
  currency,
  ...props
}: { amount: string | null | undefined; currency: string } & TextProps) {
  return (
    <Text component="span" className="amount" inherit {...props}>
      {formatMoney(amount, currency)}
    </Text>
  );
}
