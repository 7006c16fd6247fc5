// The body hookd POSTed for an event to a webhook, rebuilt from GET /events/:id in the server's field order
// (domain/envelope.ts), for "Copy as curl" when the API does not give the stored bytes themselves.
const BEFORE_DATA = ['source', 'resourceType', 'resourceId', 'changes'];
const AFTER_DATA = ['metadata', 'apiVersion'];

export function deliveredBody(event: Record<string, unknown>, workspaceId: string, webhookId: string): string {
  const type = JSON.stringify(event.type);
  let body =
    `{"id":${JSON.stringify(event.id)},"type":${type},"event":${type},"timestamp":${JSON.stringify(event.timestamp)}` +
    `,"workspaceId":${JSON.stringify(workspaceId)},"webhookId":${JSON.stringify(webhookId)}`;
  for (const field of BEFORE_DATA) if (field in event) body += `,"${field}":${JSON.stringify(event[field] ?? null)}`;
  body += `,"data":${JSON.stringify(event.data ?? null)}`;
  for (const field of AFTER_DATA) if (field in event) body += `,"${field}":${JSON.stringify(event[field] ?? null)}`;
  return body + '}';
}
