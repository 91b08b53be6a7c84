import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** A cursor-paginated list (`starting_after`), loaded a page at a time with "Load more". */
export function usePagedList<T extends { id: string }>(
  key: QueryKey,
  fetchPage: (startingAfter: string | undefined) => Promise<Page<T>>,
  opts: { enabled?: boolean } = {},
) {
  const query = useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last) => (last.has_more ? last.data.at(-1)?.id : undefined),
    enabled: opts.enabled,
  });
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  return { query, rows };
}
