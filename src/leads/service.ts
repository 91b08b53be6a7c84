import { and, asc, desc, eq, gte, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { createContactIn, createCustomerIn, getCustomer } from '../crm/service';
import { contacts, customers } from '../crm/tables';
import { formatAmount } from '../money/money';
import { getOrganization, getSettings } from '../organizations/service';
import { readSettings } from '../organizations/settings';
import { assertMayChangeOwned, assertUserInOrg, createOpportunityIn } from '../pipeline/service';
import type { RequestContext, Site } from '../platform/context';
import { dateInZone } from '../platform/context';
import type { Queryable, Tx } from '../platform/db';
import { conflict, forbidden, notFound, unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { newId } from '../platform/ids';
import { afterCursor, toPage } from '../platform/pagination';
import { apiFieldName, normalizeAddress } from '../platform/schemas';
import { newToken } from '../platform/secrets';
import { organizations } from '../platform/tables';
import { assignNewRecord } from '../territories/service';
import type { ConvertIn, LeadIn, LeadListQuery, LeadOut, LeadPatch, LeadRow } from './schemas';
import { type LeadFields, nameKey, type ScoringRule, scoreLead } from './scoring';
import { leads } from './tables';

const OPEN = ['new', 'working', 'qualified'];

// ---------------------------------------------------------------- scoring rules (settings.lead_scoring)

async function scoringRules(q: Queryable, orgId: string): Promise<ScoringRule[]> {
  const org = await getOrganization(q, orgId);
  return ((org.settings as { lead_scoring?: { rules: ScoringRule[] } }).lead_scoring?.rules ?? []) as ScoringRule[];
}

export async function getLeadScoring(ctx: RequestContext) {
  const rules = await scoringRules(ctx.db, ctx.orgId);
  return { rules: rules.map((r) => ({ ...r, value: r.value ?? null })) };
}

/** PUT /settings/lead_scoring: rules get ids where missing, and every open lead is scored again. */
export async function putLeadScoring(
  ctx: RequestContext,
  input: { rules: Omit<ScoringRule, 'id'>[] & { id?: string }[] },
) {
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, ctx.orgId)).for('update');
    const rules = (input.rules as (ScoringRule & { id?: string })[]).map((r) => ({ ...r, id: r.id ?? newId('rule') }));
    await tx
      .update(organizations)
      .set({ settings: { ...(org!.settings as object), lead_scoring: { rules } } })
      .where(eq(organizations.id, ctx.orgId));
    const open = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.orgId, ctx.orgId), inArray(leads.status, OPEN)));
    for (const lead of open) {
      const { score, reasons } = scoreLead(rules, fieldsOf(lead));
      await tx.update(leads).set({ score, scoreReasons: reasons }).where(eq(leads.id, lead.id));
    }
    await recordEvent(
      tx,
      ctx,
      'settings.lead_scoring_updated',
      { type: 'organization', id: ctx.orgId },
      {
        rules: rules.length,
      },
    );
    return { rules: rules.map((r) => ({ ...r, value: r.value ?? null })) };
  });
}

function fieldsOf(l: LeadRow): LeadFields {
  return {
    name: l.name,
    company: l.company,
    email: l.email,
    phone: l.phone,
    title: l.title,
    website: l.website,
    country: l.country,
    region: l.region,
    postal_code: l.postalCode,
    industry: l.industry,
    employees: l.employees,
    source: l.source,
    estimated_value: l.estimatedValue,
    currency: l.currency,
  };
}

// ---------------------------------------------------------------- leads

async function getLeadRow(q: Queryable, ctx: Pick<RequestContext, 'orgId'>, id: string, lock = false) {
  const query = q
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), eq(leads.orgId, ctx.orgId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('lead', id);
  return row;
}

export async function createLead(ctx: RequestContext, input: LeadIn): Promise<LeadRow> {
  return ctx.db.transaction((tx) => createLeadIn(tx, ctx, input));
}

/** createLead, in the caller's transaction (imports, the web form). */
export async function createLeadIn(tx: Tx, ctx: RequestContext, input: LeadIn): Promise<LeadRow> {
  // A lead created without owner is owned by its creator when that is a sales user (a sales key owns nothing).
  const owner = input.owner ?? (ctx.role === 'sales' ? ctx.userId : null);
  if (ctx.role === 'sales' && input.owner && input.owner !== ctx.userId)
    throw forbidden('Sales reps create leads for themselves.');
  if (owner) await assertUserInOrg(tx, ctx, owner, 'owner');
  // Territory by the rules unless given; without an owner, the territory's round robin (API.md "Leads" → Assignment).
  const assigned = await assignNewRecord(
    tx,
    ctx,
    { territory: input.territory, owner },
    {
      country: input.country,
      region: input.region,
      postal_code: input.postal_code,
      industry: input.industry,
      employees: input.employees,
    },
  );
  const row: LeadRow = {
    id: newId('lead'),
    orgId: ctx.orgId,
    name: input.name ?? null,
    company: input.company ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    title: input.title ?? null,
    website: input.website ?? null,
    country: input.country ?? null,
    region: input.region ?? null,
    postalCode: input.postal_code ?? null,
    industry: input.industry ?? null,
    employees: input.employees ?? null,
    source: input.source ?? 'manual',
    status: input.status ?? 'new',
    disqualifyReason: null,
    ownerId: assigned.ownerId,
    territoryId: assigned.territoryId,
    territorySource: assigned.territorySource,
    score: 0,
    scoreReasons: [],
    estimatedValue: input.estimated_value ?? null,
    currency: input.currency ?? null,
    notes: input.notes ?? null,
    convertedCustomerId: null,
    convertedContactId: null,
    convertedOpportunityId: null,
    convertedAt: null,
    convertedOn: null,
    createdBy: ctx.userId,
    createdAt: ctx.clock.now(),
  };
  const { score, reasons } = scoreLead(await scoringRules(tx, ctx.orgId), fieldsOf(row));
  row.score = score;
  row.scoreReasons = reasons;
  await tx.insert(leads).values(row);
  await recordEvent(tx, ctx, 'lead.created', { type: 'lead', id: row.id }, { source: row.source });
  return row;
}

export async function updateLead(ctx: RequestContext, id: string, patch: LeadPatch): Promise<LeadRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await getLeadRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, before.ownerId, 'leads');
    if (before.status === 'converted') throw conflict('lead_already_converted', 'A converted lead does not change.');
    if (patch.owner !== undefined) {
      if (ctx.role === 'sales' && patch.owner !== ctx.userId) throw forbidden('Sales reps may not give a lead away.');
      if (patch.owner) await assertUserInOrg(tx, ctx, patch.owner, 'owner');
    }
    const set: Partial<LeadRow> = {};
    const map: [keyof LeadPatch, keyof LeadRow][] = [
      ['name', 'name'],
      ['company', 'company'],
      ['email', 'email'],
      ['phone', 'phone'],
      ['title', 'title'],
      ['website', 'website'],
      ['country', 'country'],
      ['region', 'region'],
      ['postal_code', 'postalCode'],
      ['industry', 'industry'],
      ['employees', 'employees'],
      ['notes', 'notes'],
      ['source', 'source'],
      ['status', 'status'],
      ['owner', 'ownerId'],
      ['estimated_value', 'estimatedValue'],
      ['currency', 'currency'],
    ];
    for (const [from, to] of map) if (patch[from] !== undefined) (set as Record<string, unknown>)[to] = patch[from];
    if (patch.territory !== undefined) {
      set.territoryId = patch.territory;
      set.territorySource = patch.territory ? 'manual' : null;
    }
    const after = { ...before, ...set };
    if (!after.name && !after.company)
      throw unprocessable('lead_name_required', 'A lead needs a name or a company.', 'name');
    const changed = Object.keys(set).filter(
      (k) => JSON.stringify(set[k as keyof LeadRow]) !== JSON.stringify(before[k as keyof LeadRow]),
    );
    if (changed.length === 0) return before;
    const { score, reasons } = scoreLead(await scoringRules(tx, ctx.orgId), fieldsOf(after));
    const [row] = await tx
      .update(leads)
      .set({ ...set, score, scoreReasons: reasons })
      .where(eq(leads.id, id))
      .returning();
    await recordEvent(tx, ctx, 'lead.updated', { type: 'lead', id }, { changed: changed.map(apiFieldName) });
    return row!;
  });
}

export async function deleteLead(ctx: RequestContext, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const lead = await getLeadRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, lead.ownerId, 'leads');
    if (lead.status === 'converted') throw conflict('lead_already_converted', 'A converted lead cannot be deleted.');
    await tx.delete(leads).where(eq(leads.id, id));
    await recordEvent(tx, ctx, 'lead.deleted', { type: 'lead', id }, { name: lead.name ?? lead.company ?? '' });
  });
}

export async function disqualifyLead(ctx: RequestContext, id: string, reason: string): Promise<LeadRow> {
  return ctx.db.transaction(async (tx) => {
    const lead = await getLeadRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, lead.ownerId, 'leads');
    if (lead.status === 'converted') throw conflict('lead_already_converted', 'This lead was converted already.');
    if (lead.status === 'disqualified') return lead;
    const [row] = await tx
      .update(leads)
      .set({ status: 'disqualified', disqualifyReason: reason })
      .where(eq(leads.id, id))
      .returning();
    await recordEvent(tx, ctx, 'lead.disqualified', { type: 'lead', id }, { reason });
    return row!;
  });
}

/**
 * POST /leads/:id/convert: in one transaction a customer (or an existing one, only its empty fields filled), a
 * contact and optionally an opportunity; once (the lead row is locked, so two converts at once make one customer).
 */
export async function convertLead(ctx: RequestContext, id: string, input: ConvertIn): Promise<LeadRow> {
  return ctx.db.transaction(async (tx) => {
    const lead = await getLeadRow(tx, ctx, id, true);
    assertMayChangeOwned(ctx, lead.ownerId, 'leads');
    if (lead.status === 'converted')
      throw conflict('lead_already_converted', 'This lead was converted already.', 'status');
    if (lead.status === 'disqualified')
      throw conflict('lead_disqualified', 'A disqualified lead cannot be converted.', 'status');
    const settings = await getSettings(tx, ctx);
    // Converting one's own lead may add to a customer, contact and deal the rep does not own yet.
    const converter: RequestContext = { ...ctx, role: ctx.role === 'sales' ? 'finance' : ctx.role };
    let customerId: string;
    let isNew = false;
    if (input.customer) {
      const existing = await getCustomer(tx, ctx, input.customer).catch(() => {
        throw unprocessable('customer_not_found', `No customer ${input.customer} in this organization.`, 'customer');
      });
      customerId = existing.id;
      const address = (existing.billingAddress as Record<string, unknown> | null) ?? null;
      const fill: Partial<typeof customers.$inferInsert> = {};
      if (!existing.email && lead.email) fill.email = lead.email;
      if (!existing.phone && lead.phone) fill.phone = lead.phone;
      if (!address?.country && lead.country)
        fill.billingAddress = normalizeAddress({ ...(address ?? {}), country: lead.country } as never);
      if (!existing.ownerId && lead.ownerId) fill.ownerId = lead.ownerId;
      if (!existing.territoryId && lead.territoryId) {
        fill.territoryId = lead.territoryId;
        fill.territorySource = 'manual';
      }
      if (Object.keys(fill).length > 0) {
        await tx.update(customers).set(fill).where(eq(customers.id, existing.id));
        await recordEvent(
          tx,
          ctx,
          'customer.updated',
          { type: 'customer', id: existing.id },
          {
            changed: Object.keys(fill).map(apiFieldName),
          },
        );
      }
    } else {
      const created = await createCustomerIn(tx, converter, {
        name: (lead.company || lead.name)!,
        email: lead.email,
        phone: lead.phone,
        billing_address: lead.country ? { country: lead.country } : null,
        currency: lead.currency ?? settings.base_currency,
        owner: lead.ownerId,
        territory: lead.territoryId,
      });
      customerId = created.id;
      isNew = true;
    }
    const contact = await createContactIn(tx, converter, customerId, {
      name: (lead.name || lead.company)!,
      email: lead.email,
      phone: lead.phone,
      role: lead.title,
      receives_invoices: true,
    });
    let opportunityId: string | null = null;
    if (input.opportunity) {
      const customer = await getCustomer(tx, ctx, customerId);
      const amount =
        input.opportunity.amount ??
        (lead.estimatedValue && (lead.currency ?? settings.base_currency) === customer.currency
          ? formatAmount(lead.estimatedValue, customer.currency)
          : '0');
      const opp = await createOpportunityIn(tx, converter, {
        name: input.opportunity.name,
        customer: customerId,
        contact: contact.id,
        owner: lead.ownerId,
        close_date: input.opportunity.close_date,
        amount,
        ...(input.opportunity.stage ? { stage: input.opportunity.stage } : {}),
      });
      opportunityId = opp.id;
    }
    const [row] = await tx
      .update(leads)
      .set({
        status: 'converted',
        convertedCustomerId: customerId,
        convertedContactId: contact.id,
        convertedOpportunityId: opportunityId,
        convertedAt: ctx.clock.now(),
        convertedOn: ctx.today,
      })
      .where(eq(leads.id, id))
      .returning();
    await recordEvent(
      tx,
      ctx,
      'lead.converted',
      { type: 'lead', id },
      {
        customer: customerId,
        contact: contact.id,
        opportunity: opportunityId,
        new_customer: isNew,
      },
    );
    return row!;
  });
}

export async function getLead(q: Queryable, ctx: RequestContext, id: string): Promise<LeadOut> {
  const lead = await getLeadRow(q, ctx, id);
  const { base_currency } = await getSettings(q, ctx);
  return leadOut(lead, await possibleDuplicates(q, ctx, lead), base_currency);
}

export async function listLeads(ctx: RequestContext, query: LeadListQuery) {
  const where: (SQL | undefined)[] = [eq(leads.orgId, ctx.orgId)];
  if (query.status) where.push(eq(leads.status, query.status));
  if (query.owner) where.push(eq(leads.ownerId, query.owner === 'me' ? (ctx.userId ?? '') : query.owner));
  if (query.territory) where.push(eq(leads.territoryId, query.territory));
  if (query.source) where.push(eq(leads.source, query.source));
  if (query.min_score !== undefined) where.push(gte(leads.score, query.min_score));
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(leads.name, like), ilike(leads.company, like), ilike(leads.email, like)));
  }
  where.push(await afterCursor(ctx.db, leads, ctx.orgId, query.starting_after));
  const rows = await ctx.db
    .select()
    .from(leads)
    .where(and(...where))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit);
  const data = [];
  const { base_currency } = await getSettings(ctx.db, ctx);
  for (const lead of page.data) data.push(leadOut(lead, await possibleDuplicates(ctx.db, ctx, lead), base_currency));
  return { data, has_more: page.has_more };
}

/**
 * API.md "possible_duplicates": by email (case-insensitive) among leads, contacts and customers; without an email,
 * leads whose company or name and customers whose name equal the lead's company (else name), lower-cased and without
 * whitespace. Oldest first within a type; what this lead's conversion made is never listed.
 */
async function possibleDuplicates(q: Queryable, ctx: RequestContext, lead: LeadRow) {
  const out: { type: 'lead' | 'contact' | 'customer'; id: string }[] = [];
  const mine = [lead.convertedCustomerId, lead.convertedContactId].filter((x): x is string => !!x);
  if (lead.email) {
    const email = lead.email.toLowerCase();
    const sameLeads = await q
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.orgId, ctx.orgId), ne(leads.id, lead.id), sql`lower(${leads.email}) = ${email}`))
      .orderBy(asc(leads.createdAt), asc(leads.id));
    const sameContacts = await q
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), sql`lower(${contacts.email}) = ${email}`))
      .orderBy(asc(contacts.createdAt), asc(contacts.id));
    const sameCustomers = await q
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, ctx.orgId), sql`lower(${customers.email}) = ${email}`))
      .orderBy(asc(customers.createdAt), asc(customers.id));
    out.push(...sameLeads.map((r) => ({ type: 'lead' as const, id: r.id })));
    out.push(...sameContacts.filter((r) => !mine.includes(r.id)).map((r) => ({ type: 'contact' as const, id: r.id })));
    out.push(
      ...sameCustomers.filter((r) => !mine.includes(r.id)).map((r) => ({ type: 'customer' as const, id: r.id })),
    );
    return out;
  }
  const key = nameKey(lead.company ?? lead.name);
  if (!key) return out;
  const squash = (col: unknown) => sql`regexp_replace(lower(${col}), '\\s', '', 'g')`;
  const sameLeads = await q
    .select({ id: leads.id })
    .from(leads)
    .where(
      and(
        eq(leads.orgId, ctx.orgId),
        ne(leads.id, lead.id),
        or(sql`${squash(leads.company)} = ${key}`, sql`${squash(leads.name)} = ${key}`),
      ),
    )
    .orderBy(asc(leads.createdAt), asc(leads.id));
  const sameCustomers = await q
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), sql`${squash(customers.name)} = ${key}`))
    .orderBy(asc(customers.createdAt), asc(customers.id));
  out.push(...sameLeads.map((r) => ({ type: 'lead' as const, id: r.id })));
  out.push(...sameCustomers.filter((r) => !mine.includes(r.id)).map((r) => ({ type: 'customer' as const, id: r.id })));
  return out;
}

/** A lead as the API shows it; an estimated value without currency is in the organization's base currency. */
export function leadOut(l: LeadRow, duplicates: LeadOut['possible_duplicates'], baseCurrency: string): LeadOut {
  return {
    id: l.id,
    name: l.name,
    company: l.company,
    email: l.email,
    phone: l.phone,
    title: l.title,
    website: l.website,
    country: l.country,
    region: l.region,
    postal_code: l.postalCode,
    industry: l.industry,
    employees: l.employees,
    source: l.source as LeadOut['source'],
    status: l.status as LeadOut['status'],
    disqualify_reason: l.disqualifyReason,
    owner: l.ownerId,
    territory: l.territoryId,
    score: l.score,
    score_reasons: l.scoreReasons as LeadOut['score_reasons'],
    estimated_value: l.estimatedValue === null ? null : formatAmount(l.estimatedValue, l.currency ?? baseCurrency),
    currency: l.currency,
    notes: l.notes,
    possible_duplicates: duplicates,
    converted:
      l.status === 'converted' && l.convertedCustomerId && l.convertedContactId && l.convertedAt
        ? {
            customer: l.convertedCustomerId,
            contact: l.convertedContactId,
            opportunity: l.convertedOpportunityId,
            at: l.convertedAt.toISOString(),
          }
        : null,
    created_at: l.createdAt.toISOString(),
  };
}

// ---------------------------------------------------------------- the public web form

export async function rotateLeadFormKey(ctx: RequestContext): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, ctx.orgId)).for('update');
    const key = newToken(18);
    await tx
      .update(organizations)
      .set({ settings: { ...(org!.settings as object), lead_form_key: key } })
      .where(eq(organizations.id, ctx.orgId));
    await recordEvent(tx, ctx, 'settings.lead_form_key_rotated', { type: 'organization', id: ctx.orgId });
    return key;
  });
}

/** The organization whose current lead form key this is, or 404. */
export async function leadFormContext(
  site: Site,
  key: string,
): Promise<{ ctx: RequestContext; redirect: string | null }> {
  const [org] = await site.db
    .select()
    .from(organizations)
    .where(sql`${organizations.settings}->>'lead_form_key' = ${key}`);
  if (!org) throw notFound('lead form', 'for this key');
  const settings = readSettings(org.settings);
  return {
    ctx: {
      db: site.db,
      orgId: org.id,
      actor: { type: 'public', id: null },
      role: 'finance',
      userId: null,
      clock: site.clock,
      today: dateInZone(site.clock.now(), settings.time_zone),
      publicUrl: site.publicUrl,
    },
    redirect: settings.lead_form_redirect_url,
  };
}

export async function submitLeadForm(site: Site, key: string, fields: LeadIn): Promise<{ redirect: string | null }> {
  const { ctx, redirect } = await leadFormContext(site, key);
  if (!fields.name && !fields.company)
    throw unprocessable('lead_name_required', 'A lead needs a name or a company.', 'name');
  await createLead(ctx, { ...fields, source: 'web_form', status: 'new', owner: null, territory: null });
  return { redirect };
}
