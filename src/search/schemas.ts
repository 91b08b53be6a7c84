import { z } from 'zod';

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'Type something to search for.').max(200),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type SearchQuery = z.output<typeof SearchQuery>;

export const SearchOut = z.object({
  data: z.array(z.object({ type: z.string(), id: z.string(), label: z.string() })),
});
