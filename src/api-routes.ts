import type { FastifyInstance } from 'fastify';
import { bankRoutes } from './bank/routes';
import { billRunRoutes } from './bill-runs/routes';
import { catalogRoutes } from './catalog/routes';
import { checkRoutes } from './checks/routes';
import { collectionRoutes } from './collections/routes';
import { creditNoteRoutes } from './credit-notes/routes';
import { crmRoutes } from './crm/routes';
import { documentRoutes } from './documents/routes';
import { einvoiceRoutes } from './einvoice/routes';
import { emailRoutes } from './email/routes';
import { eventRoutes } from './events/routes';
import { exportRoutes } from './exports/routes';
import { importRoutes } from './imports/routes';
import { invoiceRoutes } from './invoicing/routes';
import { ledgerRoutes } from './ledger/routes';
import { onlinePaymentSettingsRoutes } from './online-payments/routes';
import { orderRoutes } from './orders/routes';
import { organizationRoutes } from './organizations/routes';
import { paymentRoutes } from './payments/routes';
import type { AppDeps } from './platform/http';
import { quoteRoutes } from './quotes/routes';
import { receivableRoutes } from './receivables/routes';
import { reportRoutes } from './reports/routes';
import { subscriptionRoutes } from './subscriptions/routes';

/** Every capability's routes, mounted under /api/v1. */
export function apiRoutes(deps: AppDeps) {
  return async (app: FastifyInstance) => {
    await app.register(organizationRoutes(deps.database.db, deps.clock, deps.config.publicUrl.startsWith('https:')));
    await app.register(crmRoutes);
    await app.register(catalogRoutes);
    await app.register(eventRoutes);
    await app.register(invoiceRoutes);
    await app.register(receivableRoutes);
    await app.register(ledgerRoutes);
    await app.register(reportRoutes);
    await app.register(checkRoutes);
    await app.register(paymentRoutes);
    await app.register(onlinePaymentSettingsRoutes);
    await app.register(creditNoteRoutes);
    await app.register(documentRoutes);
    await app.register(einvoiceRoutes);
    await app.register(emailRoutes({ smtpConfigured: deps.config.smtpUrl !== null }));
    await app.register(collectionRoutes({ smtpConfigured: deps.config.smtpUrl !== null, jobs: deps.jobs }));
    await app.register(quoteRoutes(deps));
    await app.register(orderRoutes);
    await app.register(subscriptionRoutes(deps));
    await app.register(billRunRoutes(deps));
    await app.register(exportRoutes);
    await app.register(importRoutes);
    await app.register(bankRoutes);
  };
}
