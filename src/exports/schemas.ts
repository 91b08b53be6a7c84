import { z } from 'zod';
import { IsoDate } from '../platform/schemas';

export const ExportFormat = z.enum(['csv', 'json', 'datev', 'xero', 'quickbooks']);

export const ExportIn = z.object({
  kind: z.literal('journal'),
  format: ExportFormat,
  from: IsoDate.meta({ description: 'First day of the period (journal line dates)' }),
  to: IsoDate.meta({ description: 'Last day of the period, inclusive' }),
  only_new: z.boolean().default(false).meta({ description: 'Only lines never exported in this format' }),
});
export type ExportIn = z.output<typeof ExportIn>;

export const ExportOut = z.object({
  id: z.string(),
  kind: z.literal('journal'),
  format: ExportFormat,
  from: z.string(),
  to: z.string(),
  only_new: z.boolean(),
  entries: z.number().int(),
  lines: z.number().int(),
  file_name: z.string(),
  sha256: z.string().meta({ description: 'SHA-256 of the file, hex' }),
  created_at: z.string(),
});
export type ExportOut = z.infer<typeof ExportOut>;
