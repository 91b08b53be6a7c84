import { useInvoice } from '../../api/invoices';
import { QueryState } from '../../components/QueryState';
import { InvoiceEditor } from './InvoiceEditor';
import { InvoiceView } from './InvoiceView';

/** A draft opens in the editor; anything posted is shown with its actions and timeline. */
export function InvoicePage({ params }: { params: Record<string, string> }) {
  const invoice = useInvoice(params.id);
  return (
    <QueryState query={invoice}>
      {(inv) => (inv.status === 'draft' ? <InvoiceEditor key={inv.id} invoice={inv} /> : <InvoiceView invoice={inv} />)}
    </QueryState>
  );
}
