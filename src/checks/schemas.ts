import { z } from 'zod';

export const CheckOut = z.object({
  ok: z.boolean(),
  violations: z.array(
    z
      .object({
        check: z.string().meta({ description: 'Which invariant, e.g. journal_entry_balanced' }),
        message: z.string(),
      })
      .catchall(z.unknown())
      .meta({ description: 'One broken invariant, with the ids and amounts involved' }),
  ),
});
