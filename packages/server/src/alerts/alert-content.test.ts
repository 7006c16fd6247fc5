// What an alert says, from fields tenants and receivers wrote: escaped in HTML, one line in the subject.
import { describe, expect, it } from 'vitest';
import type { ClaimedAlert } from '../domain/alert.js';
import { alertEmail, dashboardLink, operationalEventBody } from './alert-content.js';

const alert: ClaimedAlert = {
  seq: 1,
  id: 'alr_1',
  leaseToken: 't',
  workspaceId: 'ws_1',
  webhookId: 'wh_1',
  type: 'webhook.failing',
  channel: 'email',
  target: 'ops@example.com',
  webhookUrl: 'https://example.com/hook?a=1&b=<2>',
  webhookDescription: 'line one\r\nBcc: victim@example.com <script>',
  webhookStatus: 'failing',
  eventType: 'order.created',
  lastError: `the receiver answered 500 "<img src=x onerror=alert(1)>" ${'x'.repeat(2_000)}`,
  attempts: 0,
  createdAt: new Date('2026-05-06T19:00:00.000Z'),
  alertSecret: null,
};

describe('alert content', () => {
  it('keeps the subject on one line and escapes everything in the HTML', () => {
    const email = alertEmail(alert, 'https://hooks.example.com/');
    expect(email.subject).toBe('[hookd] webhook.failing: line one Bcc: victim@example.com <script>');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).toContain('https://example.com/hook?a=1&amp;b=&lt;2&gt;');
    expect(email.text).toContain('Dashboard: https://hooks.example.com/#/webhooks/wh_1');
    // A receiver's long error is cut, not carried whole.
    expect(email.text.length).toBeLessThan(1_600);
  });

  it('makes the operational event in the Standard Webhooks envelope', () => {
    const body = JSON.parse(operationalEventBody(alert, 'https://hooks.example.com/base'));
    expect(body.type).toBe('webhook.failing');
    expect(body.timestamp).toBe('2026-05-06T19:00:00.000Z');
    expect(body.data.dashboardUrl).toBe('https://hooks.example.com/base/#/webhooks/wh_1');
    expect(body.data.lastError.length).toBe(1_000);
    expect(dashboardLink('http://127.0.0.1:8080', 'wh_a/b')).toBe('http://127.0.0.1:8080/#/webhooks/wh_a%2Fb');
  });
});
