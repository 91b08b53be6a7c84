import { usePaymentList } from '../../api/payments';
import type { Customer } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { PaymentTable } from '../../components/PaymentTable';
import { ErrorAlert } from '../../components/QueryState';

export function CustomerPaymentsPanel({ customer }: { customer: Customer }) {
  const { query, rows } = usePaymentList({ customer: customer.id });
  if (query.isError) return <ErrorAlert error={query.error} feature="Payments" />;
  if (query.isPending) return null;
  if (rows.length === 0)
    return (
      <EmptyState title="No payments yet">
        Payments from {customer.name} appear here once recorded, with how they were applied to invoices.
      </EmptyState>
    );
  return (
    <PaymentTable
      payments={rows}
      showCustomer={false}
      hasMore={query.hasNextPage}
      onMore={() => query.fetchNextPage()}
      loadingMore={query.isFetchingNextPage}
    />
  );
}
