// What an alert says, the same on every channel: the webhook (URL, description), what happened, the event type, the
// last error and the link to the webhook's page in the dashboard. Every field but the type comes from a tenant or a
// stranger's server (an error quotes a receiver's answer), so HTML escapes them and no text is taken as a header.
import type { ClaimedAlert } from '../domain/alert.js';

/** Errors are receivers' words: kept short in a subject line and in the event sent on. */
const ERROR_LIMIT = 1_000;
const SUBJECT_PART_LIMIT = 120;

const WHAT_HAPPENED: Record<ClaimedAlert['type'], string> = {
  'webhook.failing': 'is failing: a delivery failed after its last retry',
  'webhook.disabled': 'was disabled: the receiver answered 410 Gone, or it failed for too long',
  'webhook.recovered': 'recovered: a delivery succeeded again',
};

/** The dashboard's page of one webhook (packages/dashboard/src/router.ts: hash routes #/webhooks/wh_…). */
export function dashboardLink(baseUrl: string, webhookId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#/webhooks/${encodeURIComponent(webhookId)}`;
}

function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

function clipped(error: string | null): string | null {
  return error === null ? null : error.length > ERROR_LIMIT ? `${error.slice(0, ERROR_LIMIT - 1)}…` : error;
}

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/** The facts of the alert as label and value, in the order a reader wants them. */
function facts(alert: ClaimedAlert, link: string): [string, string][] {
  return [
    ['Webhook', alert.webhookUrl],
    ['Description', alert.webhookDescription || '(none)'],
    ['Status', alert.webhookStatus],
    ['Event type', alert.eventType ?? '(none)'],
    ['Last error', clipped(alert.lastError) ?? '(none)'],
    ['Webhook id', alert.webhookId],
    ['Workspace id', alert.workspaceId],
    ['Dashboard', link],
  ];
}

export function alertEmail(alert: ClaimedAlert, baseUrl: string): AlertEmail {
  const link = dashboardLink(baseUrl, alert.webhookId);
  const name = oneLine(alert.webhookDescription || alert.webhookUrl, SUBJECT_PART_LIMIT);
  const subject = `[hookd] ${alert.type}: ${name}`;
  const headline = `The webhook ${alert.webhookUrl} ${WHAT_HAPPENED[alert.type]}.`;
  const rows = facts(alert, link);
  const text = [headline, '', ...rows.map(([label, value]) => `${label}: ${value}`), ''].join('\n');
  const cells = rows
    .map(([label, value]) => {
      const shown =
        label === 'Dashboard' ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
      return `<tr><th align="left">${escapeHtml(label)}</th><td>${shown}</td></tr>`;
    })
    .join('');
  const html = `<p>${escapeHtml(headline)}</p><table>${cells}</table>`;
  return { subject, text, html };
}

/** The operational event POSTed to an alertUrl, in the Standard Webhooks envelope. */
export function operationalEventBody(alert: ClaimedAlert, baseUrl: string): string {
  return JSON.stringify({
    type: alert.type,
    timestamp: alert.createdAt.toISOString(),
    data: {
      workspaceId: alert.workspaceId,
      webhookId: alert.webhookId,
      url: alert.webhookUrl,
      description: alert.webhookDescription,
      status: alert.webhookStatus,
      eventType: alert.eventType,
      lastError: clipped(alert.lastError),
      dashboardUrl: dashboardLink(baseUrl, alert.webhookId),
    },
  });
}
