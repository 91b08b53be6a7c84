import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  type RealignResult,
  type Territory,
  type TerritoryBody,
  useRealign,
  useSaveTerritory,
  useTerritories,
  useUsersForPicker,
} from '../../api/forecast';
import { useMe } from '../../api/session';
import { EmptyState } from '../../components/EmptyState';
import { QueryState } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/roles';

const FIELDS = ['country', 'region', 'postal_code_prefix', 'industry', 'employees_gte', 'employees_lte'];

/** Rules as text, one "field value" a line (e.g. "country DE"). */
function rulesText(t: Territory | null): string {
  return (t?.rules ?? []).map((r) => `${r.field} ${r.value}`).join('\n');
}

function parseRules(text: string): TerritoryBody['rules'] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [field = '', ...rest] = line.split(/\s+/);
      const value = rest.join(' ');
      return (field.startsWith('employees') ? { field, value: Number(value) } : { field, value }) as NonNullable<
        TerritoryBody['rules']
      >[number];
    });
}

/** Territories in tree order: each followed by its children, with its depth. */
function treeOrder(all: Territory[]): { t: Territory; depth: number }[] {
  const result: { t: Territory; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const t of all
      .filter((x) => x.parent === parent)
      .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))) {
      result.push({ t, depth });
      visit(t.id, depth + 1);
    }
  };
  visit(null, 0);
  return result;
}

export function TerritoriesSettings({ canEdit }: { canEdit: boolean }) {
  const me = useMe();
  const territories = useTerritories();
  const users = useUsersForPicker(can(me.role, 'admin'));
  const [editing, setEditing] = useState<Territory | 'new' | null>(null);
  const names = new Map((territories.data?.data ?? []).map((t) => [t.id, t.name]));
  const userName = (id: string) => {
    const u = users.data?.data.find((x) => x.id === id);
    return u ? u.name || u.email : id;
  };
  return (
    <Stack>
      {canEdit ? (
        <Group>
          <Button onClick={() => setEditing('new')} data-testid="new-territory">
            New territory
          </Button>
        </Group>
      ) : null}
      <QueryState query={territories}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title="No territories yet">
              Territories group customers and leads by country, region, postal code, industry or size; new records get
              their territory from the rules and an owner by round robin among its members.
            </EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" data-testid="territory-tree">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Territory</Table.Th>
                    <Table.Th>Priority</Table.Th>
                    <Table.Th>Rules</Table.Th>
                    <Table.Th>Members</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {treeOrder(page.data).map(({ t, depth }) => (
                    <Table.Tr key={t.id}>
                      <Table.Td style={{ paddingLeft: 12 + depth * 20 }}>
                        <Text size="sm" fw={depth === 0 ? 600 : 400}>
                          {depth > 0 ? '└ ' : ''}
                          {t.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>{t.priority}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {t.rules.length === 0 ? (
                            <Text size="xs" c="dimmed">
                              none (matches nothing)
                            </Text>
                          ) : (
                            t.rules.map((r) => (
                              <Badge key={`${r.field}-${r.value}`} variant="light" tt="none">
                                {r.field} {String(r.value)}
                              </Badge>
                            ))
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{t.members.map(userName).join(', ') || '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        {canEdit ? (
                          <Button size="xs" variant="subtle" onClick={() => setEditing(t)}>
                            Edit
                          </Button>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      {canEdit ? <Realignment names={names} /> : null}
      {editing ? (
        <TerritoryForm
          territory={editing === 'new' ? null : editing}
          all={territories.data?.data ?? []}
          users={(users.data?.data ?? []).map((u) => ({ value: u.id, label: u.name || u.email }))}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Stack>
  );
}

function TerritoryForm({
  territory,
  all,
  users,
  onClose,
}: {
  territory: Territory | null;
  all: Territory[];
  users: { value: string; label: string }[];
  onClose: () => void;
}) {
  const save = useSaveTerritory();
  const [name, setName] = useState(territory?.name ?? '');
  const [parent, setParent] = useState<string | null>(territory?.parent ?? null);
  const [priority, setPriority] = useState<number>(territory?.priority ?? 0);
  const [rules, setRules] = useState(rulesText(territory));
  const [members, setMembers] = useState<string[]>(territory?.members ?? []);
  const [manager, setManager] = useState<string | null>(territory?.manager ?? null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync({
        ...(territory ? { id: territory.id } : {}),
        body: { name, parent, priority, rules: parseRules(rules), members, manager },
      });
      toast(territory ? 'Territory saved' : 'Territory created');
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Modal opened onClose={onClose} title={territory ? `Edit ${territory.name}` : 'New territory'}>
      <form onSubmit={submit}>
        <Stack>
          {error ? <Alert color="red">{error}</Alert> : null}
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label="Parent"
            clearable
            placeholder="None (top level)"
            data={all.filter((t) => t.id !== territory?.id).map((t) => ({ value: t.id, label: t.name }))}
            value={parent}
            onChange={setParent}
          />
          <NumberInput
            label="Priority"
            description="Among matching territories the lowest wins"
            value={priority}
            onChange={(v) => setPriority(Number(v) || 0)}
          />
          <Textarea
            label="Rules"
            description={`One a line: field value. Fields: ${FIELDS.join(', ')}. Every rule must match.`}
            autosize
            minRows={2}
            placeholder="country DE"
            value={rules}
            onChange={(e) => setRules(e.currentTarget.value)}
            data-testid="territory-rules"
          />
          {users.length > 0 ? (
            <>
              <MultiSelect label="Members (round-robin order)" data={users} value={members} onChange={setMembers} />
              <Select label="Manager" clearable data={users} value={manager} onChange={setManager} />
            </>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Realignment({ names }: { names: Map<string, string> }) {
  const realign = useRealign();
  const [reassign, setReassign] = useState(false);
  const [preview, setPreview] = useState<RealignResult | null>(null);
  const label = (id: string | null) => (id ? (names.get(id) ?? id) : 'No territory');
  const run = async (dryRun: boolean) => {
    const result = await realign.mutateAsync({ dry_run: dryRun, reassign_owners: reassign });
    if (dryRun) setPreview(result);
    else {
      setPreview(null);
      const moved = result.moved.reduce((n, m) => n + m.customers + m.leads + m.opportunities, 0);
      toast(`Realigned: ${moved} records moved`);
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">
        Realignment
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Re-applies the rules to every customer, open lead and open opportunity whose territory came from the rules.
        Preview first; nothing changes until you apply.
      </Text>
      <Group>
        <Checkbox
          label="Give moved records an owner by round robin"
          checked={reassign}
          onChange={(e) => setReassign(e.currentTarget.checked)}
        />
        <Button variant="default" onClick={() => run(true)} loading={realign.isPending} data-testid="realign-preview">
          Preview realignment
        </Button>
      </Group>
      {preview ? (
        <Stack mt="md" data-testid="realign-result">
          {preview.moved.length === 0 ? (
            <Text size="sm">Nothing would move ({preview.unchanged} records stay).</Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>From</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th ta="right">Customers</Table.Th>
                    <Table.Th ta="right">Leads</Table.Th>
                    <Table.Th ta="right">Opportunities</Table.Th>
                    <Table.Th ta="right">Open pipeline</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.moved.map((m) => (
                    <Table.Tr key={`${m.territory_from}-${m.territory_to}`}>
                      <Table.Td>{label(m.territory_from)}</Table.Td>
                      <Table.Td>{label(m.territory_to)}</Table.Td>
                      <Table.Td ta="right">{m.customers}</Table.Td>
                      <Table.Td ta="right">{m.leads}</Table.Td>
                      <Table.Td ta="right">{m.opportunities}</Table.Td>
                      <Table.Td ta="right">
                        {m.open_pipeline.map((p) => formatMoney(p.amount, p.currency)).join(', ') || '—'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Group>
            <Button
              onClick={() => run(false)}
              loading={realign.isPending}
              disabled={preview.moved.length === 0}
              data-testid="realign-apply"
            >
              Apply realignment
            </Button>
            <Text size="sm" c="dimmed">
              {preview.unchanged} records stay where they are.
            </Text>
          </Group>
        </Stack>
      ) : null}
    </Paper>
  );
}
