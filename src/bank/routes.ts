import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParam } from '../platform/schemas';
import {
  AcceptIn,
  BankAccountIn,
  BankAccountOut,
  BankAccountPatch,
  BankLineOut,
  BankLineQuery,
  CsvMappingIn,
  CsvMappingOut,
  IgnoreIn,
  ManualMatchIn,
  MatchRunOut,
  ReconciliationOut,
  ReconciliationQuery,
  StatementOut,
  StatementQuery,
} from './schemas';
import * as service from './service';

const tags = ['Bank'];
const MAX_BYTES = 64 * 1024 * 1024;
const FILE_TYPES = [
  'application/xml',
  'text/xml',
  'text/plain',
  'application/x-ofx',
  'text/csv',
  'application/octet-stream',
  'application/vnd.intu.qfx',
];

export async function bankRoutes(base: FastifyInstance) {
  // Statement files arrive as their raw bytes (their encoding is the parser's business).
  base.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/bank_accounts',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Create a bank account', body: BankAccountIn, response: { 201: BankAccountOut } },
    },
    async (req, reply) => reply.code(201).send(await service.createBankAccount(req.ctx, req.body)),
  );
  app.get(
    '/bank_accounts',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'List bank accounts', response: { 200: z.object({ data: z.array(BankAccountOut) }) } },
    },
    async (req) => ({ data: await service.listBankAccounts(req.ctx) }),
  );
  app.get(
    '/bank_accounts/:id',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Get a bank account', params: IdParam, response: { 200: BankAccountOut } },
    },
    async (req) => service.getBankAccount(req.ctx, req.params.id),
  );
  app.patch(
    '/bank_accounts/:id',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Change a bank account',
        params: IdParam,
        body: BankAccountPatch,
        response: { 200: BankAccountOut },
      },
    },
    async (req) => service.updateBankAccount(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/csv_mappings',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Save a CSV column mapping', body: CsvMappingIn, response: { 201: CsvMappingOut } },
    },
    async (req, reply) => reply.code(201).send(await service.createCsvMapping(req.ctx, req.body)),
  );
  app.get(
    '/csv_mappings',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'List CSV mappings', response: { 200: z.object({ data: z.array(CsvMappingOut) }) } },
    },
    async (req) => ({ data: await service.listCsvMappings(req.ctx) }),
  );
  app.post(
    '/bank_accounts/:id/statements',
    {
      config: { access: 'finance' },
      bodyLimit: MAX_BYTES,
      schema: {
        tags,
        summary: 'Import a statement file (CAMT.053, MT940, OFX, CSV through a mapping); lines are matched',
        consumes: FILE_TYPES,
        params: IdParam,
        querystring: StatementQuery,
        response: { 201: StatementOut },
      },
    },
    async (req, reply) => {
      const charset = /charset=([^;]+)/i
        .exec(req.headers['content-type'] ?? '')?.[1]
        ?.trim()
        .replace(/"/g, '');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
      return reply
        .code(201)
        .send(
          await service.importStatement(req.ctx, req.params.id, req.query.format, req.query.csv_mapping, body, charset),
        );
    },
  );
  app.post(
    '/bank_accounts/:id/match',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Match the unmatched and suggested lines again',
        params: IdParam,
        response: { 200: MatchRunOut },
      },
    },
    async (req) => service.runMatching(req.ctx, req.params.id),
  );
  app.get(
    '/bank_accounts/:id/reconciliation',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Statement balance against the bank ledger, with what explains the difference',
        params: IdParam,
        querystring: ReconciliationQuery,
        response: { 200: ReconciliationOut },
      },
    },
    async (req) => service.reconciliation(req.ctx, req.params.id, req.query.as_of),
  );
  app.get(
    '/bank_lines',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'List bank lines',
        querystring: BankLineQuery,
        response: { 200: z.object({ data: z.array(BankLineOut), has_more: z.boolean() }) },
      },
    },
    async (req) => service.listBankLines(req.ctx, req.query),
  );
  app.get(
    '/bank_lines/:id',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Get a bank line', params: IdParam, response: { 200: BankLineOut } },
    },
    async (req) => service.getBankLine(req.ctx, req.params.id),
  );
  app.post(
    '/bank_lines/:id/accept',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Confirm a suggestion (rank 1 unless given)',
        params: IdParam,
        body: AcceptIn,
        response: { 200: BankLineOut },
      },
    },
    async (req) => service.acceptSuggestion(req.ctx, req.params.id, req.body?.rank),
  );
  app.post(
    '/bank_lines/:id/match',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Match by hand to invoices of a customer, or link an existing payment',
        params: IdParam,
        body: ManualMatchIn,
        response: { 200: BankLineOut },
      },
    },
    async (req) => service.matchByHand(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/bank_lines/:id/ignore',
    {
      config: { access: 'finance' },
      schema: { tags, summary: 'Ignore a line', params: IdParam, body: IgnoreIn, response: { 200: BankLineOut } },
    },
    async (req) => service.ignoreLine(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/bank_lines/:id/unmatch',
    {
      config: { access: 'finance' },
      schema: {
        tags,
        summary: 'Undo a match: the payment it made is reversed; the line is unmatched',
        params: IdParam,
        response: { 200: BankLineOut },
      },
    },
    async (req) => service.unmatchLine(req.ctx, req.params.id),
  );
}
