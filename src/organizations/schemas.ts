import { z } from 'zod';
import { Currency, Email } from '../platform/schemas';
import type { ApiKeyRow, OrganizationRow, UserRow } from './service';
import { SettingsSchema } from './settings';

export const RoleSchema = z.enum(['admin', 'finance', 'sales', 'viewer']);
export const Password = z.string().min(8, 'At least 8 characters.').max(200);

export const SetupIn = z.object({
  org_name: z.string().min(1).max(200),
  currency: Currency,
  email: Email,
  password: Password,
  time_zone: SettingsSchema.shape.time_zone.optional(),
});

export const OrganizationOut = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
export const UserOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  active: z.boolean(),
  created_at: z.string(),
});
export const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  hint: z.string().meta({ description: 'Last 4 characters of the key' }),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  key: z.string().optional().meta({ description: 'The key itself: only in the response that creates it' }),
});

export const SetupOut = z.object({ organization: OrganizationOut, user: UserOut, csrf_token: z.string() });

export const organizationOut = (o: OrganizationRow) => ({
  id: o.id,
  name: o.name,
  created_at: o.createdAt.toISOString(),
});
export const userOut = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as z.infer<typeof RoleSchema>,
  active: u.active,
  created_at: u.createdAt.toISOString(),
});
export const apiKeyOut = (k: ApiKeyRow, secret?: string) => ({
  id: k.id,
  name: k.name,
  role: k.role as z.infer<typeof RoleSchema>,
  hint: k.hint,
  created_at: k.createdAt.toISOString(),
  revoked_at: k.revokedAt?.toISOString() ?? null,
  ...(secret ? { key: secret } : {}),
});
