import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useCustomer, useCustomerSearch } from '../api/customers';

/** Picks a customer by searching on the server (works with any number of customers). */
export function CustomerPicker({
  value,
  onChange,
  ...props
}: { value: string | null; onChange: (id: string | null) => void } & Omit<SelectProps, 'value' | 'onChange' | 'data'>) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const selected = useCustomer(value);
  const results = useCustomerSearch(selected.data && debounced === selected.data.name ? '' : debounced);
  const options = new Map<string, string>();
  if (selected.data) options.set(selected.data.id, selected.data.name);
  for (const c of results.data?.data ?? []) options.set(c.id, c.name);
  return (
    <Select
      searchable
      clearable
      placeholder="Search customers"
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No customer matches'}
      data={[...options].map(([id, name]) => ({ value: id, label: name }))}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      {...props}
    />
  );
}
