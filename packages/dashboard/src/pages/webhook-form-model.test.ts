import { describe, expect, test } from 'vitest';
import { bodyOf, EMPTY_FORM, formOf, RETRY_PRESETS } from './webhook-form-model';

describe('the webhook form', () => {
  test('every retry schedule of the seeds is a preset', () => {
    const schedules = RETRY_PRESETS.map((preset) => preset.schedule.join(' '));
    expect(schedules).toEqual(expect.arrayContaining(['1s 5s 30s', '1m 5m 30m', '1m 2m 4m 8m 16m']));
  });

  test('makes the API body from ticked and typed events, a custom schedule, headers and a filter', () => {
    const { body, problems } = bodyOf({
      ...EMPTY_FORM,
      url: ' https://example.com/hooks ',
      events: ['order.created'],
      typedEvents: 'message.*, order.created  refund.*',
      retryPreset: 'custom',
      customSchedule: '10s, 1m,10m',
      rateLimit: '20',
      headers: 'Authorization: Bearer a:b\n\nX-Team: ops',
      filter: '{"data.amount": {"$gt": 100}}',
    });
    expect(problems).toEqual([]);
    expect(body).toMatchObject({
      url: 'https://example.com/hooks',
      events: ['order.created', 'message.*', 'refund.*'],
      retry: { schedule: ['10s', '1m', '10m'], retryOn4xx: true },
      rateLimit: 20,
      headers: { Authorization: 'Bearer a:b', 'X-Team': 'ops' },
      filter: { 'data.amount': { $gt: 100 } },
    });
  });

  test('names the field of what the browser can already see is wrong', () => {
    const { problems } = bodyOf({ ...EMPTY_FORM, filter: '[1]', headers: 'no colon', rateLimit: '1.5' });
    expect(problems.map((p) => p.field).sort()).toEqual(['filter', 'headers', 'rateLimit']);
  });

  test('shows a webhook as it is, and sends it back unchanged', () => {
    const webhook = {
      id: 'wh_1',
      url: 'https://example.com/a',
      description: 'd',
      events: ['order.created', 'message.*'],
      active: true,
      status: 'healthy' as const,
      headers: { Authorization: '[redacted]' },
      signature: { scheme: 'body' as const, headerPrefix: 'X-Shop-' },
      retry: { schedule: ['1m', '2m', '4m', '8m', '16m'], retryOn4xx: false },
      timeout: '10s',
      rateLimit: null,
      ordering: 'fifo' as const,
      filter: null,
      autoDisableAfter: '2d',
      failingSince: null,
      createdAt: '',
      updatedAt: '',
    };
    const form = formOf(webhook, ['order.created']);
    expect(form.retryPreset).toBe('doubling');
    expect(form.typedEvents).toBe('message.*');
    const { body } = bodyOf(form);
    expect(body).toMatchObject({
      events: ['order.created', 'message.*'],
      headers: { Authorization: '[redacted]' },
      signature: webhook.signature,
      retry: webhook.retry,
      ordering: 'fifo',
      rateLimit: null,
      filter: null,
      autoDisableAfter: '2d',
    });
  });
});
