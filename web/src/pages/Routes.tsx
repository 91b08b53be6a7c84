import type { ComponentType } from 'react';
import { EmptyState } from '../components/EmptyState';
import { Link } from '../components/Link';
import { matchPath, useLocation } from '../lib/router';
import { MyDayPage } from './activities/MyDayPage';
import { BankPage } from './bank/BankPage';
import { BillRunsPage } from './bill-runs/BillRunsPage';
import { WorklistPage } from './collections/WorklistPage';
import { CreditNoteListPage } from './credit-notes/CreditNoteListPage';
import { LeadPage } from './crm/LeadPage';
import { LeadsPage } from './crm/LeadsPage';
import { OpportunityPage } from './crm/OpportunityPage';
import { PipelineBoardPage } from './crm/PipelineBoardPage';
import { CustomerDetailPage } from './customers/CustomerDetailPage';
import { CustomerFormPage } from './customers/CustomerFormPage';
import { CustomerListPage } from './customers/CustomerListPage';
import { DashboardPage } from './dashboard/DashboardPage';
import { IntegrationsPage } from './integrations/IntegrationsPage';
import { InvoiceListPage } from './invoices/InvoiceListPage';
import { InvoiceNewPage } from './invoices/InvoiceNewPage';
import { InvoicePage } from './invoices/InvoicePage';
import { OrderListPage } from './orders/OrderListPage';
import { OrderPage } from './orders/OrderPage';
import { PaymentDetailPage } from './payments/PaymentDetailPage';
import { PaymentListPage } from './payments/PaymentListPage';
import { PaymentNewPage } from './payments/PaymentNewPage';
import { QuoteListPage } from './quotes/QuoteListPage';
import { QuoteNewPage } from './quotes/QuoteNewPage';
import { QuotePage } from './quotes/QuotePage';
import { AgingReportPage } from './reports/AgingReportPage';
import { ForecastPage } from './reports/ForecastPage';
import { SalesReportPage } from './reports/SalesReportPage';
import { SummaryReportPage } from './reports/SummaryReportPage';
import { TrialBalancePage } from './reports/TrialBalancePage';
import { SettingsPage } from './settings/SettingsPage';
import { SubscriptionListPage } from './subscriptions/SubscriptionListPage';
import { SubscriptionNewPage } from './subscriptions/SubscriptionNewPage';
import { SubscriptionPage } from './subscriptions/SubscriptionPage';

type Page = ComponentType<{ params: Record<string, string> }>;

/** Order matters: "/customers/new" before "/customers/:id". */
const ROUTES: [string, Page][] = [
  ['/', DashboardPage],
  ['/customers', CustomerListPage],
  ['/customers/new', CustomerFormPage],
  ['/customers/:id/edit', CustomerFormPage],
  ['/customers/:id', CustomerDetailPage],
  ['/invoices', InvoiceListPage],
  ['/invoices/new', InvoiceNewPage],
  ['/invoices/:id', InvoicePage],
  ['/payments', PaymentListPage],
  ['/payments/new', PaymentNewPage],
  ['/payments/:id', PaymentDetailPage],
  ['/credit-notes', CreditNoteListPage],
  ['/pipeline', PipelineBoardPage],
  ['/leads', LeadsPage],
  ['/leads/:id', LeadPage],
  ['/opportunities/:id', OpportunityPage],
  ['/quotes', QuoteListPage],
  ['/quotes/new', QuoteNewPage],
  ['/quotes/:id', QuotePage],
  ['/orders', OrderListPage],
  ['/orders/:id', OrderPage],
  ['/subscriptions', SubscriptionListPage],
  ['/subscriptions/new', SubscriptionNewPage],
  ['/subscriptions/:id', SubscriptionPage],
  ['/bill-runs', BillRunsPage],
  ['/reports', AgingReportPage],
  ['/reports/aging', AgingReportPage],
  ['/reports/summary', SummaryReportPage],
  ['/reports/forecast', ForecastPage],
  ['/reports/sales', SalesReportPage],
  ['/reports/trial-balance', TrialBalancePage],
  ['/my-day', MyDayPage],
  ['/collections', WorklistPage],
  ['/bank', BankPage],
  ['/integrations', IntegrationsPage],
  ['/settings', SettingsPage],
  ['/settings/:tab', SettingsPage],
];

export function Routes() {
  const { path } = useLocation();
  for (const [pattern, Component] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return <Component key={pattern + JSON.stringify(params)} params={params} />;
  }
  return (
    <EmptyState title="Page not found" action={<Link to="/">Go to the dashboard</Link>}>
      There is no page at {path}.
    </EmptyState>
  );
}
