// The list commands' paging: --limit or --cursor shows one page as the API answers it; otherwise every page.
import { paginate, type Page } from '@hookd/client';
import {
  expectPositionals,
  printJson,
  wholeNumberFlag,
  type ApiCommandLine,
  type ApiSubcommand,
} from './api-options.js';

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

export interface ListSpec<T> {
  /** The subcommand's usage line, shown when it is given an argument. */
  usage: string;
  fetchPage: (line: ApiCommandLine, query: PageQuery) => Promise<Page<T>>;
  describe: (items: T[]) => string;
  onePageOnly?: boolean;
}

/** A `list` subcommand that takes no argument, only the paging flags: printList over `fetchPage`. */
export function listSubcommand<T>(spec: ListSpec<T>): ApiSubcommand {
  return {
    options: PAGE_OPTIONS,
    run: async (line) => {
      expectPositionals(line.positionals, 1, spec.usage);
      await printList(line, (query) => spec.fetchPage(line, query), spec.describe, spec.onePageOnly);
    },
  };
}
