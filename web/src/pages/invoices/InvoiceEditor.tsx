import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useProducts, useTaxRates } from '../../api/catalog';
import { ApiError, api, call } from '../../api/client';
import { useCustomer } from '../../api/customers';
import { useMe } from '../../api/session';
import type { Invoice } from '../../api/types';
import { CustomerPicker } from '../../components/CustomerPicker';
import { Link } from '../../components/Link';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { toast } from '../../components/Toasts';
import { TotalsPanel } from '../../components/TotalsPanel';
import { useFieldErrors } from '../../lib/field-errors';
import { can } from '../../lib/roles';
import { navigate } from '../../lib/router';
import { useIsMobile } from '../../lib/use-mobile';
import {
  type DraftState,
  draftFromInvoice,
  editorParam,
  emptyLine,
  isLineBlank,
  isLineReady,
  type LineDraft,
  patchFromDraft,
} from './draft-state';
import { LINE_COLUMNS, LineEditor } from './LineEditor';

type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';
const DEBOUNCE_MS = 400;

/**
 * A draft invoice. Every change is saved (debounced) and the totals shown are the server's answer: the client never
 * adds up money. Lines that cannot be priced yet stay in the editor until they can.
 */
export function InvoiceEditor({ invoice }: { invoice: Invoice }) {
  const me = useMe();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const taxRates = useTaxRates();
  const products = useProducts({ active: true });
  const customer = useCustomer(invoice.customer);

  const activeRates = (taxRates.data?.data ?? []).filter((t) => t.active);
  const defaultRate = activeRates.find((t) => t.category === 'S')?.id ?? activeRates[0]?.id ?? null;

  const [draft, setDraft] = useState<DraftState>(() => {
    const d = draftFromInvoice(invoice);
    return d.lines.length ? d : { ...d, lines: [emptyLine(null)] };
  });
  const [server, setServer] = useState<Invoice>(invoice);
  const [sentKeys, setSentKeys] = useState<string[]>(() => draft.lines.filter(isLineReady).map((l) => l.key));
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [posting, setPosting] = useState(false);
  const [focus, setFocus] = useState<{ key: string; field: string } | null>(null);

  const knownParams = [
    'customer',
    'issue_date',
    'due_date',
    'payment_terms_days',
    'tax_behavior',
    'po_number',
    'buyer_reference',
    'notes',
    'footer',
    ...draft.lines.map((l) => `line:${l.key}`),
  ];
  const errors = useFieldErrors(knownParams);

  // A new line picks up the default tax rate once the rates are loaded.
  useEffect(() => {
    if (!defaultRate) return;
    setDraft((d) =>
      d.lines.some((l) => !l.tax_rate && isLineBlank(l))
        ? { ...d, lines: d.lines.map((l) => (!l.tax_rate && isLineBlank(l) ? { ...l, tax_rate: defaultRate } : l)) }
        : d,
    );
  }, [defaultRate]);

  const latest = useRef(draft);
  latest.current = draft;
  const lastSent = useRef(JSON.stringify(patchFromDraft(draft).body));
  const queue = useRef<Promise<boolean>>(Promise.resolve(true));

  const save = useCallback(
    (d: DraftState): Promise<boolean> => {
      const run = async (): Promise<boolean> => {
        const { body, sentKeys: keys } = patchFromDraft(d);
        const text = JSON.stringify(body);
        if (text === lastSent.current) {
          setStatus((s) => (s === 'error' ? s : 'saved'));
          return true;
        }
        setStatus('saving');
        try {
          const saved = await call(api.PATCH('/api/v1/invoices/{id}', { params: { path: { id: invoice.id } }, body }));
          lastSent.current = text;
          setServer(saved);
          setSentKeys(keys);
          errors.clear();
          const current = JSON.stringify(patchFromDraft(latest.current).body);
          setStatus(current === text ? 'saved' : 'pending');
          return true;
        } catch (err) {
          errors.setError(
            err instanceof ApiError
              ? new ApiError(err.status, err.type, err.code, err.message, editorParam(err.param, keys))
              : err,
          );
          setStatus('error');
          return false;
        }
      };
      const next = queue.current.then(run, run);
      queue.current = next;
      return next;
    },
    [invoice.id, errors.clear, errors.setError],
  );

  // Debounced autosave.
  useEffect(() => {
    if (JSON.stringify(patchFromDraft(draft).body) === lastSent.current) return;
    setStatus('pending');
    const timer = setTimeout(() => void save(draft), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, save]);

  // Focus a field after lines change (keyboard entry).
  useEffect(() => {
    if (!focus) return;
    const el = document.querySelector<HTMLElement>(`[data-line-key="${focus.key}"] [data-field="${focus.field}"]`);
    el?.focus();
    setFocus(null);
  }, [focus]);

  const set = <K extends keyof DraftState>(k: K, v: DraftState[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setLine = (i: number, line: LineDraft) =>
    setDraft((d) => ({ ...d, lines: d.lines.map((l, j) => (j === i ? line : l)) }));
  const addLine = (after?: number) => {
    const prev = after !== undefined ? draft.lines[after] : draft.lines.at(-1);
    const line = emptyLine(prev?.tax_rate ?? defaultRate);
    setDraft((d) => {
      const lines = [...d.lines];
      lines.splice(after === undefined ? lines.length : after + 1, 0, line);
      return { ...d, lines };
    });
    setFocus({ key: line.key, field: 'product' });
  };
  const removeLine = (i: number) =>
    setDraft((d) => {
      const lines = d.lines.filter((_, j) => j !== i);
      return { ...d, lines: lines.length ? lines : [emptyLine(defaultRate)] };
    });
  const onEnter = (i: number, field: string) => {
    const next = draft.lines[i + 1];
    if (next) setFocus({ key: next.key, field });
    else addLine(i);
  };

  const amountOf = (key: string) => {
    const j = sentKeys.indexOf(key);
    return j >= 0 ? server.lines[j]?.amount : undefined;
  };

  const post = async () => {
    setPosting(true);
    try {
      if (latest.current.lines.some((l) => !isLineReady(l) && !isLineBlank(l))) {
        errors.setError(new Error('Complete or remove the unfinished lines before posting.'));
        return;
      }
      if (!(await save(latest.current))) return;
      const posted = await call(api.POST('/api/v1/invoices/{id}/post', { params: { path: { id: invoice.id } } }));
      qc.setQueryData(['invoices', invoice.id], posted);
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'settings' });
      toast(`Invoice ${posted.number} posted`);
    } catch (err) {
      errors.setError(err);
    } finally {
      setPosting(false);
    }
  };

  const remove = async () => {
    if (!window.confirm('Delete this draft?')) return;
    try {
      await call(api.DELETE('/api/v1/invoices/{id}', { params: { path: { id: invoice.id } } }));
      await qc.invalidateQueries({ queryKey: ['invoices'] });
      toast('Draft deleted');
      navigate('/invoices', { replace: true });
    } catch (err) {
      errors.setError(err);
    }
  };

  const duplicate = async () => {
    try {
      if (!(await save(latest.current))) return;
      const copy = await call(api.POST('/api/v1/invoices/{id}/duplicate', { params: { path: { id: invoice.id } } }));
      navigate(`/invoices/${copy.id}`);
    } catch (err) {
      errors.setError(err);
    }
  };

  const statusText: Record<SaveStatus, string> = {
    saved: 'All changes saved',
    pending: 'Editing…',
    saving: 'Saving…',
    error: 'Not saved: see the marked field',
  };

  return (
    <Stack>
      <PageHeader
        title="Draft invoice"
        badge={<Badge color="gray">Draft</Badge>}
        subtitle={
          <>
            for <Link to={`/customers/${invoice.customer}`}>{customer.data?.name ?? '…'}</Link> · {invoice.currency}
          </>
        }
        actions={
          <>
            <Text size="sm" c={status === 'error' ? 'red' : 'dimmed'} data-testid="save-status" aria-live="polite">
              {statusText[status]}
            </Text>
            {can(me.role, 'finance') ? (
              <Button onClick={post} loading={posting} data-testid="post-invoice">
                Post invoice
              </Button>
            ) : null}
            <Button variant="default" onClick={duplicate}>
              Duplicate
            </Button>
            <Button variant="subtle" color="red" onClick={remove}>
              Delete draft
            </Button>
          </>
        }
      />
      {errors.formError ? (
        <Alert color="red" role="alert">
          {errors.formError}
        </Alert>
      ) : null}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          <Stack>
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
                <CustomerPicker
                  label="Customer"
                  value={draft.customer}
                  onChange={(id) => id && set('customer', id)}
                  clearable={false}
                  error={errors.fieldError('customer')}
                />
                <TextInput
                  type="date"
                  label="Issue date"
                  description="Empty: the posting date"
                  value={draft.issue_date}
                  onChange={(e) => set('issue_date', e.currentTarget.value)}
                  error={errors.fieldError('issue_date')}
                />
                <TextInput
                  type="date"
                  label="Due date"
                  description="Empty: from the payment terms"
                  value={draft.due_date}
                  onChange={(e) => set('due_date', e.currentTarget.value)}
                  error={errors.fieldError('due_date')}
                />
                <TextInput
                  label="Payment terms (days)"
                  description="Empty: the customer's"
                  inputMode="numeric"
                  value={draft.payment_terms_days}
                  onChange={(e) => set('payment_terms_days', e.currentTarget.value)}
                  error={errors.fieldError('payment_terms_days')}
                />
                <Select
                  label="Prices"
                  data={[
                    { value: 'exclusive', label: 'Exclude tax' },
                    { value: 'inclusive', label: 'Include tax' },
                  ]}
                  value={draft.tax_behavior}
                  onChange={(v) => v && set('tax_behavior', v as DraftState['tax_behavior'])}
                  allowDeselect={false}
                  error={errors.fieldError('tax_behavior')}
                />
                <TextInput
                  label="PO number"
                  value={draft.po_number}
                  onChange={(e) => set('po_number', e.currentTarget.value)}
                  error={errors.fieldError('po_number')}
                />
                <TextInput
                  label="Buyer reference"
                  value={draft.buyer_reference}
                  onChange={(e) => set('buyer_reference', e.currentTarget.value)}
                  error={errors.fieldError('buyer_reference')}
                />
              </SimpleGrid>
            </Paper>
            <Paper withBorder p="md">
              <Group justify="space-between" mb="xs">
                <Title order={4}>Lines</Title>
                <Text size="xs" c="dimmed" visibleFrom="sm">
                  Enter moves to the next line and adds one at the end · Tab moves across
                </Text>
              </Group>
              {!mobile ? (
                <Grid columns={24} gutter="xs" mb={4}>
                  {[
                    ['Product', LINE_COLUMNS.product],
                    ['Description', LINE_COLUMNS.description],
                    ['Qty', LINE_COLUMNS.quantity],
                    [`Unit price`, LINE_COLUMNS.price],
                    ['Disc. %', LINE_COLUMNS.discount],
                    ['Tax', LINE_COLUMNS.tax],
                    ['Amount', LINE_COLUMNS.amount],
                  ].map(([label, span]) => (
                    <Grid.Col key={label} span={span as number}>
                      <Text size="xs" fw={600} c="dimmed" ta={label === 'Amount' ? 'right' : undefined}>
                        {label}
                      </Text>
                    </Grid.Col>
                  ))}
                </Grid>
              ) : null}
              <Stack gap={0}>
                {draft.lines.map((line, i) => (
                  <LineEditor
                    key={line.key}
                    line={line}
                    index={i}
                    products={(products.data?.data ?? []).filter((p) => p.currency === invoice.currency)}
                    taxRates={(taxRates.data?.data ?? []).filter((t) => t.active || t.id === line.tax_rate)}
                    currency={invoice.currency}
                    amount={amountOf(line.key)}
                    pending={!isLineReady(line)}
                    fieldError={errors.fieldError}
                    onChange={(l) => setLine(i, l)}
                    onRemove={() => removeLine(i)}
                    onEnter={(field) => onEnter(i, field)}
                  />
                ))}
              </Stack>
              <Button variant="light" mt="sm" onClick={() => addLine()} data-testid="add-line">
                Add line
              </Button>
              {activeRates.length === 0 && taxRates.isSuccess ? (
                <Alert color="yellow" mt="sm">
                  Every line needs a tax rate and there is none yet.{' '}
                  {can(me.role, 'finance') ? (
                    <Link to="/settings/tax-rates">Add a tax rate</Link>
                  ) : (
                    'Ask finance to add one.'
                  )}
                </Alert>
              ) : null}
            </Paper>
            <Paper withBorder p="md">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Textarea
                  label="Notes"
                  autosize
                  minRows={2}
                  value={draft.notes}
                  onChange={(e) => set('notes', e.currentTarget.value)}
                  error={errors.fieldError('notes')}
                />
                <Textarea
                  label="Footer"
                  autosize
                  minRows={2}
                  value={draft.footer}
                  onChange={(e) => set('footer', e.currentTarget.value)}
                  error={errors.fieldError('footer')}
                />
              </SimpleGrid>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <div style={{ position: 'sticky', top: 72 }}>
            <TotalsPanel invoice={server} stale={status !== 'saved'} />
            <Text size="xs" c="dimmed" mt={4}>
              Totals are computed by the server when the draft is saved.
            </Text>
          </div>
        </Grid.Col>
      </Grid>
      {mobile ? (
        // At phone width the total and the main action stay in reach at the bottom of the screen.
        <>
          <div style={{ height: 64 }} />
          <Paper
            shadow="md"
            p="sm"
            radius={0}
            withBorder
            style={{ position: 'fixed', left: 0, right: 0, bottom: 0, zIndex: 150 }}
          >
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text size="xs" c="dimmed">
                  {statusText[status]}
                </Text>
                <Text fw={700} className="amount" style={{ opacity: status === 'saved' ? 1 : 0.6 }}>
                  Total <Money amount={server.total} currency={server.currency} />
                </Text>
              </div>
              {can(me.role, 'finance') ? (
                <Button onClick={post} loading={posting}>
                  Post
                </Button>
              ) : null}
            </Group>
          </Paper>
        </>
      ) : null}
    </Stack>
  );
}
