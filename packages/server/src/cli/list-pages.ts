// The list commands' paging: --limit or --cursor shows one page as the API answers it; otherwise every page.
import { paginate, type Page } from '@hookd/client';
import { printJson, wholeNumberFlag, type ApiCommandLine } from './api-options.js';

export const PAGE_OPTIONS = { limit: { type: 'string' }, cursor: { type: 'string' } } as const;

type PageQuery = { limit?: number; cursor?: string };

/**
 * Prints a list with `describe` (or the API's JSON with --json). `onePageOnly` is for lists that grow without bound
 * (published events): there the first page is shown unless --cursor asks for another, and the next cursor is named.
 */
export async function printList<T>(
  line: ApiCommandLine,
  fetchPage: (query: PageQuery) => Promise<Page<T>>,
  describe: (items: T[]) => string,
  onePageOnly = false,
): Promise<void> {
  const limit = wholeNumberFlag('limit', line.values.limit as string | undefined, 1, 100);
  const cursor = line.values.cursor as string | undefined;
  if (onePageOnly || limit !== undefined || cursor !== undefined) {
    const page = await fetchPage({ limit, cursor });
    if (line.json) return printJson(page);
    process.stdout.write(describe(page.data) + (page.nextCursor ? `more: --cursor ${page.nextCursor}\n` : ''));
    return;
  }
  const all: T[] = [];
  for await (const item of paginate((next) => fetchPage({ limit: 100, cursor: next }))) all.push(item);
  if (line.json) return printJson({ data: all, nextCursor: null });
  process.stdout.write(describe(all));
}
