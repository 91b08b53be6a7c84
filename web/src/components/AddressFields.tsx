import { SimpleGrid, TextInput } from '@mantine/core';

export interface AddressValue {
  line1: string;
  line2: string;
  postal_code: string;
  city: string;
  region: string;
  country: string;
}

export const EMPTY_ADDRESS: AddressValue = { line1: '', line2: '', postal_code: '', city: '', region: '', country: '' };

export function addressFrom(a: Partial<Record<keyof AddressValue, string | null>> | null | undefined): AddressValue {
  return {
    line1: a?.line1 ?? '',
    line2: a?.line2 ?? '',
    postal_code: a?.postal_code ?? '',
    city: a?.city ?? '',
    region: a?.region ?? '',
    country: a?.country ?? '',
  };
}

/** The API's address object: empty fields become null, an address with nothing in it null. */
export function addressToApi(a: AddressValue) {
  const out = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.trim() || null])) as Record<
    keyof AddressValue,
    string | null
  >;
  return Object.values(out).some((v) => v !== null) ? out : null;
}

export function AddressFields({
  value,
  onChange,
  prefix,
  fieldError,
}: {
  value: AddressValue;
  onChange: (v: AddressValue) => void;
  /** The API's name of the address field, for errors: "billing_address" or "address". */
  prefix: string;
  fieldError: (param: string) => string | undefined;
}) {
  const field = (k: keyof AddressValue, label: string, extra: object = {}) => (
    <TextInput
      label={label}
      value={value[k]}
      onChange={(e) => onChange({ ...value, [k]: e.currentTarget.value })}
      error={fieldError(`${prefix}.${k}`)}
      name={`${prefix}.${k}`}
      {...extra}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {field('line1', 'Street and number')}
      {field('line2', 'Address line 2')}
      {field('postal_code', 'Postal code')}
      {field('city', 'City')}
      {field('region', 'Region')}
      {field('country', 'Country (ISO code, e.g. DE)', {
        maxLength: 2,
        onChange: (e: { currentTarget: { value: string } }) =>
          onChange({ ...value, country: e.currentTarget.value.toUpperCase() }),
      })}
    </SimpleGrid>
  );
}
