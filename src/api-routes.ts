import type { FastifyInstance } from 'fastify';
import { catalogRoutes } from './catalog/routes';
import { crmRoutes } from './crm/routes';
import { documentRoutes } from './documents/routes';
import { eventRoutes } from './events/routes';
import { invoiceRoutes } from './invoicing/routes';
import { organizationRoutes } from './organizations/routes';
import { paymentRoutes } from './payments/routes';
import type { AppDeps } from './platform/http';

/** Every capability's routes, mounted under /api/v1. */
export function apiRoutes(deps: AppDeps) {
  return async (app: FastifyInstance) => {
    await app.register(organizationRoutes(deps.database.db, deps.config.publicUrl.startsWith('https:')));
    await app.register(crmRoutes);
    await app.register(catalogRoutes);
    await app.register(eventRoutes);
    await app.register(invoiceRoutes);
    await app.register(paymentRoutes);
    await app.register(documentRoutes);
  };
}
