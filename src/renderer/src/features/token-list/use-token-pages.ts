/** Reads the history page by page (keyset cursor) for one query, and starts over when the query or the history changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListTokensQuery, StatusCounts, TokenPage, TokenSummary } from '../../../../shared/model.ts';
import type { AppError, Result } from '../../../../shared/result.ts';

export type PageSource = (query: ListTokensQuery) => Promise<Result<TokenPage>>;

export interface TokenPages {
  readonly items: readonly TokenSummary[];
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: AppError | null;
  /** The first page has arrived (or failed). */
  readonly settled: boolean;
  /** Per-status counts, when the store sends them with the first page. */
  readonly counts: StatusCounts | null;
  readonly loadMore: () => void;
  readonly reload: () => void;
}

export const PAGE_SIZE = 200;

export function useTokenPages(source: PageSource, query: ListTokensQuery): TokenPages {
  const [items, setItems] = useState<readonly TokenSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [settled, setSettled] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [counts, setCounts] = useState<StatusCounts | null>(null);
  const [generation, setGeneration] = useState(0);
  const inFlight = useRef(0);
  const key = JSON.stringify(query);

  const fetchPage = useCallback(
    async (after: string | null, replace: boolean, ticket: number): Promise<void> => {
      setLoading(true);
      const r = await source({ ...(JSON.parse(key) as ListTokensQuery), limit: PAGE_SIZE, cursor: after });
      if (ticket !== inFlight.current) return;
      setLoading(false);
      setSettled(true);
      if (!r.ok) {
        setError(r.error);
        setHasMore(false);
        return;
      }
      setError(null);
      const withCounts = r.value as TokenPage & { counts?: StatusCounts };
      if (replace) setCounts(withCounts.counts ?? null);
      setItems((prev) => (replace ? r.value.items : [...prev, ...r.value.items]));
      setCursor(r.value.nextCursor);
      setHasMore(r.value.nextCursor !== null);
    },
    [source, key],
  );

  useEffect(() => {
    const ticket = ++inFlight.current;
    void Promise.resolve().then(() => fetchPage(null, true, ticket));
  }, [fetchPage, generation]);

  const loadMore = useCallback(() => {
    if (!hasMore || loading || cursor === null) return;
    void fetchPage(cursor, false, inFlight.current);
  }, [hasMore, loading, cursor, fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, hasMore, loading, error, settled, counts, loadMore, reload };
}
