import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { downloadFile } from '../../api/client';
import { useCreditNoteList, voidCreditNote } from '../../api/credit-notes';
import type { Invoice } from '../../api/types';
import { CreditNoteTable } from '../../components/CreditNoteTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/QueryState';
import { toast } from '../../components/Toasts';

export function InvoiceCreditNotes({ invoice }: { invoice: Invoice }) {
  const qc = useQueryClient();
  const { query, rows } = useCreditNoteList({ invoice: invoice.id });
  const [error, setError] = useState<unknown>(null);
  if (query.isError) return <ErrorAlert error={query.error} feature="Credit notes" />;
  if (query.isPending) return null;
  if (rows.length === 0)
    return (
      <EmptyState title="No credit notes">
        To correct a posted invoice, issue a credit note (More → Issue credit note), then duplicate it if a new invoice
        is needed.
      </EmptyState>
    );
  return (
    <>
      {error ? <ErrorAlert error={error} /> : null}
      <CreditNoteTable
        notes={rows}
        actions={(n) => (
          <>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={(e) => {
                e.stopPropagation();
                downloadFile(`/api/v1/credit_notes/${n.id}/pdf`, `${n.number}.pdf`).catch(setError);
              }}
            >
              PDF
            </Button>
            {n.status === 'issued' ? (
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                onClick={async (e) => {
                  e.stopPropagation();
                  if (!window.confirm(`Void credit note ${n.number}?`)) return;
                  try {
                    await voidCreditNote(n.id);
                    await qc.invalidateQueries();
                    toast('Credit note voided');
                  } catch (err) {
                    setError(err);
                  }
                }}
              >
                Void
              </Button>
            ) : null}
          </>
        )}
      />
    </>
  );
}
