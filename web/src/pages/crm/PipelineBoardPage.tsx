import { Badge, Button, Group, Modal, Paper, ScrollArea, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { type Opportunity, type Stage, useMoveOpportunity, useOpenOpportunities, useStages } from '../../api/crm';
import { useCustomerNames } from '../../api/customers';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/QueryState';
import { toast } from '../../components/Toasts';
import { sumAmounts } from '../../lib/money';
import { navigate } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';

/** Σ round(amount × probability ÷ 100) per opportunity: the server's expected_revenue, summed exactly. */
function columnTotals(opps: Opportunity[]) {
  const byCurrency = new Map<string, Opportunity[]>();
  for (const o of opps) byCurrency.set(o.currency, [...(byCurrency.get(o.currency) ?? []), o]);
  return [...byCurrency.entries()].map(([currency, list]) => ({
    currency,
    amount: sumAmounts(
      list.map((o) => o.amount),
      currency,
    ),
    weighted: sumAmounts(
      list.map((o) => o.expected_revenue),
      currency,
    ),
  }));
}

/**
 * The pipeline board: a column per active stage with count, amount and weighted amount; drag a card to another
 * column to move the deal (a lost stage asks why). At phone width: one stage at a time, moved with a menu.
 */
export function PipelineBoardPage() {
  const stages = useStages();
  const opps = useOpenOpportunities();
  const move = useMoveOpportunity();
  const mobile = useIsMobile();
  const names = useCustomerNames((opps.data ?? []).map((o) => o.customer));
  const [lost, setLost] = useState<{ id: string; stage: string } | null>(null);
  const [reason, setReason] = useState('');
  const [phoneStage, setPhoneStage] = useState<string | null>(null);
  const active = (stages.data?.data ?? []).filter((s) => s.active);
  // Won and lost columns show what was just moved there; open deals are the board.
  const [closedHere, setClosedHere] = useState<Record<string, Opportunity[]>>({});

  const moveTo = (o: Opportunity, stage: Stage) => {
    if (stage.id === o.stage) return;
    if (stage.kind === 'lost') {
      setLost({ id: o.id, stage: stage.id });
      setReason('');
      return;
    }
    void doMove(o, stage.id);
  };
  const doMove = async (o: Opportunity, stage: string, lostReason?: string) => {
    try {
      const moved = await move.mutateAsync({ id: o.id, stage, ...(lostReason ? { lost_reason: lostReason } : {}) });
      if (moved.status !== 'open') setClosedHere((c) => ({ ...c, [stage]: [moved, ...(c[stage] ?? [])] }));
      const target = active.find((s) => s.id === stage);
      toast(`${o.name} moved to ${target?.name ?? 'another stage'}`);
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'red');
    }
  };

  if (stages.isError || opps.isError)
    return <ErrorAlert error={(stages.error ?? opps.error)!} feature="The pipeline" />;
  if (!stages.data || !opps.data) return null;
  const inStage = (s: Stage) =>
    s.kind === 'open' ? opps.data.filter((o) => o.stage === s.id) : (closedHere[s.id] ?? []);

  const card = (o: Opportunity) => (
    <Paper
      key={o.id}
      withBorder
      p="xs"
      radius="md"
      draggable={!mobile}
      onDragStart={(e) => e.dataTransfer.setData('text/plain', o.id)}
      className="clickable-row"
      data-testid="deal-card"
      onClick={(e) => {
        // A click in the move menu (rendered in a portal, bubbling through React) does not open the deal.
        if (e.currentTarget.contains(e.target as Node) && !(e.target as HTMLElement).closest('[data-move]'))
          navigate(`/opportunities/${o.id}`);
      }}
    >
      <Text fw={600} size="sm">
        {o.name}
      </Text>
      <Text size="xs" c="dimmed">
        {names.get(o.customer)?.name ?? '…'}
        {o.close_date ? ` · closes ${o.close_date}` : ''}
      </Text>
      <Group justify="space-between" mt={4}>
        <Money amount={o.amount} currency={o.currency} size="sm" />
        <Badge variant="light" size="sm">
          {o.probability} %
        </Badge>
      </Group>
      {mobile && o.status === 'open' ? (
        <Select
          mt="xs"
          size="xs"
          aria-label={`Move ${o.name}`}
          placeholder="Move to…"
          data={active.filter((s) => s.id !== o.stage).map((s) => ({ value: s.id, label: s.name }))}
          data-move
          onChange={(v) => {
            const s = active.find((x) => x.id === v);
            if (s) moveTo(o, s);
          }}
        />
      ) : null}
    </Paper>
  );

  const header = (s: Stage) => {
    const list = inStage(s);
    return (
      <Stack gap={0}>
        <Group justify="space-between">
          <Title order={5}>{s.name}</Title>
          <Badge variant="default">{list.length}</Badge>
        </Group>
        {columnTotals(list).map((t) => (
          <Text key={t.currency} size="xs" c="dimmed">
            <Money amount={t.amount} currency={t.currency} /> · weighted{' '}
            <Money amount={t.weighted} currency={t.currency} />
          </Text>
        ))}
      </Stack>
    );
  };

  return (
    <Stack>
      <PageHeader
        title="Pipeline"
        subtitle="Open deals by stage. Drag a card to move it; a lost deal asks why."
        actions={
          <Button variant="default" onClick={() => navigate('/leads')}>
            Leads
          </Button>
        }
      />
      {mobile ? (
        <Stack>
          <Select
            label="Stage"
            data={active.map((s) => ({ value: s.id, label: `${s.name} (${inStage(s).length})` }))}
            value={phoneStage ?? active[0]?.id ?? null}
            onChange={setPhoneStage}
            allowDeselect={false}
          />
          {active
            .filter((s) => s.id === (phoneStage ?? active[0]?.id))
            .map((s) => (
              <Stack key={s.id} gap="xs" data-testid={`stage-${s.name}`}>
                {header(s)}
                {inStage(s).map(card)}
              </Stack>
            ))}
        </Stack>
      ) : (
        <ScrollArea type="auto">
          <Group align="stretch" wrap="nowrap" gap="xs" mih={320}>
            {active.map((s) => (
              <Paper
                key={s.id}
                withBorder
                p="sm"
                radius="md"
                style={{ flex: '1 1 0', minWidth: 165 }}
                bg="var(--mantine-color-gray-0)"
                data-testid={`stage-${s.name}`}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  const o = opps.data.find((x) => x.id === e.dataTransfer.getData('text/plain'));
                  if (o) moveTo(o, s);
                }}
              >
                <Stack gap="xs">
                  {header(s)}
                  {inStage(s).map(card)}
                </Stack>
              </Paper>
            ))}
          </Group>
        </ScrollArea>
      )}
      <Modal opened={lost !== null} onClose={() => setLost(null)} title="Why was this deal lost?">
        <Stack>
          <TextInput
            label="Lost reason"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLost(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={reason.trim() === ''}
              onClick={() => {
                const o = opps.data.find((x) => x.id === lost?.id);
                if (o && lost) void doMove(o, lost.stage, reason.trim());
                setLost(null);
              }}
            >
              Mark lost
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
