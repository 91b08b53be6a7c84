import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { parseLocaleDecimal } from '../lib/locale-number';
import { formatDecimal, getLocale } from '../lib/money';

/**
 * An amount or quantity typed the user's way ("1.450,00" or "12,5" in German; a pasted "1.450,00 €"): the form
 * gets the API's decimal string ("1450.00"), and the field shows what it read ("= 1,450.00") when that differs
 * from the text. Text that is no number is passed on as typed, so the form's check or the server names it.
 */
export function DecimalInput({
  value,
  onValue,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onValue: (decimal: string) => void }) {
  const [text, setText] = useState(value);
  // A value set from outside (a suggestion, a product's price) replaces the text unless the text already means it.
  useEffect(() => {
    if (parseLocaleDecimal(text, getLocale()) !== value && text !== value) setText(value);
  }, [value, text]);
  const parsed = parseLocaleDecimal(text, getLocale());
  const read = parsed !== null && parsed !== text.trim() ? `= ${formatDecimal(parsed)}` : undefined;
  return (
    <TextInput
      {...props}
      inputMode="decimal"
      value={text}
      description={props.description ?? read}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        onValue(parseLocaleDecimal(next, getLocale()) ?? next);
      }}
    />
  );
}
