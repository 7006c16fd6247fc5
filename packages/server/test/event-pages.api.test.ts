// Lists of big events: a page stays under its byte bound, paging returns every event once, and data comes back as sent.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_PAGE_DATA_BYTES } from '../src/api/schemas/delivery.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

interface EventPage {
  data: { id: string; type: string; data: unknown; source?: unknown; deliveries: number }[];
  nextCursor: string | null;
}

/** Near the largest data a publish may carry (the body limit is 256 KiB). */
const bigData = (n: number) => ({ n, text: 'é'.repeat(100_000), nested: [{ a: null, b: [1.5, -2, true] }] });
const BIG_EVENTS = 12;

describe('GET /events with big events', () => {
  beforeAll(async () => {
    for (let n = 0; n < BIG_EVENTS; n++) {
      expect(
        (
          await t.call('POST', '/api/v1/events', {
            body: { type: 'big.made', id: `evt_big_${n}`, data: bigData(n), source: 'pages' },
          })
        ).status,
      ).toBe(202);
    }
  });

  it('ends a page once its data passes 1 MiB: the answer stays under the bound plus one event', async () => {
    const { status, headers, body } = await t.call('GET', '/api/v1/events?limit=100');
    expect(status).toBe(200);
    const oneEvent = Buffer.byteLength(JSON.stringify(bigData(0)));
    // 12 events of 200 KB made a 2.4 MB page before the bound.
    expect(Number(headers['content-length'])).toBeLessThan(EVENT_PAGE_DATA_BYTES + oneEvent + 4096);
    const page = body as EventPage;
    expect(page.data.length).toBeGreaterThanOrEqual(1);
    expect(page.data.length).toBeLessThan(BIG_EVENTS);
    expect(page.nextCursor).not.toBeNull();
  });

  it('pages through every event exactly once, newest first, each as published', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result = await t.call('GET', `/api/v1/events?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(result.status).toBe(200);
      const page = result.body as EventPage;
      for (const one of page.data) {
        expect(one).toMatchObject({
          type: 'big.made',
          source: 'pages',
          deliveries: 0,
          data: bigData(Number(one.id.slice('evt_big_'.length))),
        });
        seen.push(one.id);
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(Array.from({ length: BIG_EVENTS }, (_, n) => `evt_big_${BIG_EVENTS - 1 - n}`));
  });

  it('sends stored data as it is: no parse or serialisation of the data on the way out', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const headers = { authorization: `Bearer ${t.adminKey}` };
      for (const url of ['/api/v1/events?limit=100', '/api/v1/events/evt_big_3'])
        expect((await t.app.inject({ method: 'GET', url, headers })).statusCode).toBe(200);
      const bigParses = parse.mock.calls.filter(([text]) => text.length > 100_000);
      const bigSerialisations = stringify.mock.results.filter(
        ({ value }) => typeof value === 'string' && value.length > 100_000,
      );
      expect({ bigParses: bigParses.length, bigSerialisations: bigSerialisations.length }).toEqual({
        bigParses: 0,
        bigSerialisations: 0,
      });
    } finally {
      parse.mockRestore();
      stringify.mockRestore();
    }
  });

  it('reads one event back as JSON with its data as published', async () => {
    const { status, headers, body } = await t.call('GET', '/api/v1/events/evt_big_3');
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(body).toEqual({
      id: 'evt_big_3',
      type: 'big.made',
      timestamp: expect.any(String),
      data: bigData(3),
      source: 'pages',
      deliveries: 0,
    });
  });
});
