// The names in the workspace's event-type catalog (for the events picker).
import { api, dataOf, type EventType } from './client';

export async function loadEventTypes(): Promise<EventType[]> {
  const types: EventType[] = [];
  let cursor: string | undefined;
  do {
    const page = await dataOf(api.GET('/api/v1/event-types', { params: { query: { limit: 100, cursor } } }));
    types.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && types.length < 1000);
  return types;
}
