// The help of the commands that talk to a running hookd (publish, webhooks, deliveries, events, event-types,
// stats): in hookd --help and their own --help.
import { DEFAULT_SERVER_URL } from './api-options.js';

const CONNECTION = `Every one of them takes:
  --url <url>           the hookd server; env HOOKD_URL; default: ${DEFAULT_SERVER_URL}
  --api-key <key>       env HOOKD_API_KEY, which keeps the key out of the process list (never printed)
  --json                print the API's JSON instead of lines for people
  Every flag that takes JSON (--data, --filter, --schema) also takes @file.json to read a file, or - for stdin.
  Exit codes: 0 done, 1 the API refused (its code and message are shown) or the server is unreachable, 2 bad usage.`;

export const PUBLISH_HELP = `  publish TYPE          publish an event to every subscribed webhook
                          --data <json>  (default: {})  --id <event id>  --idempotency-key <key>`;

export const WEBHOOKS_HELP = `  webhooks list         every webhook (--limit N [--cursor C] for one page)
  webhooks create URL   a webhook POSTing to URL; prints its signing secret once
                          --events a.b,c.*  (default: *)  --description <text>  --secret <whsec_…>
                          --scheme standard|timestamp-nonce|body|none  --header-prefix X-Webhook-
                          --header "Name: value" (repeatable)  --retry-schedule 5s,5m,30m  --no-retry-on-4xx
                          --timeout 30s  --rate-limit N  --ordering none|fifo  --filter <json>  --inactive  --verify
                          --auto-disable-after 5d: disable it once it has failed without a success that long
                            (default, or "workspace": the workspace's autoDisableAfter; none set: never)
                          --data <json>: any field of POST /webhooks; the flags win over it
  webhooks get ID       one webhook's settings (header values are never shown)
  webhooks update ID    change what is given: the flags of create (not --secret, --inactive, --verify), and
                          --endpoint <url> for the URL deliveries go to (--url is the hookd server)
  webhooks pause ID     stop sending; events published meanwhile are kept and delivered on resume
  webhooks resume ID    send again, starting with what was kept; also re-enables a disabled webhook
  webhooks rotate-secret ID   a new signing secret, printed once (--secret <whsec_…> to choose it); the old
                          one keeps signing beside it for 24 hours
  webhooks test ID      send a webhook.test event to this webhook alone and print what its endpoint answered
  webhooks delete ID    delete a webhook`;

export const DELIVERIES_HELP = `  deliveries list       a webhook's delivery log, newest first
                          --webhook ID (required)  --status pending|success|failed  --event TYPE  --limit N [--cursor C]
  deliveries get ID     one delivery: status, attempts, last response
  deliveries attempts ID   every attempt of a delivery (with --json: request headers, response headers and body)
  deliveries retry ID   redeliver one delivery now, whatever its status
  deliveries redeliver-failed --webhook ID [--since 2026-01-31T00:00:00Z]
                        redeliver every failed delivery of a webhook (created since a time)`;

export const EVENTS_HELP = `  events list           published events, newest first, a page at a time (--limit N, --cursor C)
  events get ID         one event with its data`;

export const EVENT_TYPES_HELP = `  event-types list      the catalog of event types
  event-types create NAME   add one: --description <text>  --schema <JSON Schema that published data must match>
  event-types delete NAME   remove one`;

export const STATS_HELP = `  stats                 attempts per webhook this hour and over 24 hours, and their success rates
                          --webhook ID  (default: every webhook)`;

/** The section of hookd --help. */
export function apiCommandsHelp(): string {
  return `Talking to a running hookd:
${PUBLISH_HELP}
${WEBHOOKS_HELP}
${DELIVERIES_HELP}
${EVENTS_HELP}
${EVENT_TYPES_HELP}
${STATS_HELP}
${CONNECTION.replace(/^/gm, '  ')}`;
}

/** The --help of one command group. */
export function commandHelp(version: string, usage: string, section: string): string {
  return `hookd ${version}

Usage: ${usage}

${section}

${CONNECTION}
`;
}
