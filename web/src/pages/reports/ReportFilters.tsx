import { Select } from '@mantine/core';
import { useTerritories, useUsersForPicker } from '../../api/forecast';
import { useMe } from '../../api/session';
import { can } from '../../lib/roles';
import { setSearch, useLocation } from '../../lib/router';

/** The owner and territory filters of the sales reports, kept in the address. */
export function useReportFilter() {
  const { search } = useLocation();
  return { owner: search.get('owner') || undefined, territory: search.get('territory') || undefined };
}

export function ReportFilterInputs() {
  const me = useMe();
  const filter = useReportFilter();
  const territories = useTerritories();
  const users = useUsersForPicker(can(me.role, 'admin'));
  return (
    <>
      <Select
        label="Territory"
        placeholder="Whole organization"
        clearable
        data={(territories.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
        value={filter.territory ?? null}
        onChange={(v) => setSearch({ territory: v ?? '' })}
      />
      {users.data ? (
        <Select
          label="Owner"
          placeholder="Every owner"
          clearable
          data={users.data.data.map((u) => ({ value: u.id, label: u.name || u.email }))}
          value={filter.owner ?? null}
          onChange={(v) => setSearch({ owner: v ?? '' })}
        />
      ) : null}
    </>
  );
}
