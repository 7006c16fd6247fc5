// Follows a list's nextCursor to its end, one page at a time, so callers never handle cursors themselves.

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Every item of a list, fetching the next page only when the caller gets there:
 * `for await (const webhook of paginate((cursor) => dataOf(hookd.GET('/api/v1/webhooks', { params: { query: { cursor } } }))))`.
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
