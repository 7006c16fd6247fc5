// Workspaces (tenants), their API keys and their event-type catalog.
import type { FieldProblem } from './errors.js';
import { autoDisableAfterProblem } from './auto-disable.js';

export interface Workspace {
  id: string;
  name: string;
  alertEmail: string | null;
  alertUrl: string | null;
  /** A webhook failing without a success for this long is disabled; null: never. */
  autoDisableAfter: string | null;
  /** Origins (`https://app.example.com`) whose pages may show this workspace's portal in an iframe. */
  portalOrigins: string[];
  /** `#rrggbb`: the dashboard's and portal's accent, so the portal looks like the product that embeds it. */
  accentColor: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type WorkspaceSettings = Pick<
  Workspace,
  'name' | 'alertEmail' | 'alertUrl' | 'autoDisableAfter' | 'portalOrigins' | 'accentColor'
>;

export const DEFAULT_WORKSPACE_NAME = 'default';

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  admin: boolean;
  lookup: string;
  hash: string;
  createdAt: Date;
  /** Roughly when the key last authenticated a request (written at most once a minute); null: never. */
  lastUsedAt: Date | null;
}

export interface EventType {
  workspaceId: string;
  name: string;
  description: string;
  /** JSON Schema that published `data` must match; null: anything. */
  schema: Record<string, unknown> | null;
  createdAt: Date;
}

const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
// Deliberately loose: one @, something each side, no spaces. The SMTP server has the final word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function workspaceSettingsProblems(settings: WorkspaceSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!WORKSPACE_NAME.test(settings.name)) {
    problems.push({
      field: 'name',
      message: 'must be 1 to 64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit',
    });
  }
  if (settings.alertEmail !== null && !EMAIL.test(settings.alertEmail))
    problems.push({ field: 'alertEmail', message: 'is not an email address' });
  if (settings.alertUrl !== null) {
    let protocol = '';
    try {
      protocol = new URL(settings.alertUrl).protocol;
    } catch {
      /* reported below */
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      problems.push({ field: 'alertUrl', message: 'must be an http or https URL' });
  }
  if (settings.autoDisableAfter !== null) {
    const problem = autoDisableAfterProblem(settings.autoDisableAfter);
    if (problem) problems.push({ field: 'autoDisableAfter', message: problem });
  }
  problems.push(...portalOriginProblems(settings.portalOrigins));
  if (settings.accentColor !== null && !ACCENT_COLOR.test(settings.accentColor))
    problems.push({ field: 'accentColor', message: 'must be a colour as #rrggbb' });
  return problems;
}

export const MAX_PORTAL_ORIGINS = 20;
const ACCENT_COLOR = /^#[0-9a-fA-F]{6}$/;
// The URL parser lets through hosts such as "*.example.com" or "example.com;", which a CSP would read as a wildcard
// or the end of the directive: only letters, digits, dots and dashes (or a bracketed IPv6 address) and a port.
const PLAIN_ORIGIN = /^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/;

/**
 * Each must be exactly an origin (scheme, host, optional port; no path, query, user or wildcard), written as the
 * browser serializes it: it goes into a CSP header as it is, so anything else could widen or break the policy.
 */
function portalOriginProblems(origins: string[]): FieldProblem[] {
  if (origins.length > MAX_PORTAL_ORIGINS)
    return [{ field: 'portalOrigins', message: `must hold at most ${MAX_PORTAL_ORIGINS} origins` }];
  const problems: FieldProblem[] = [];
  origins.forEach((origin, index) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      /* reported below */
    }
    const isOrigin =
      parsed !== undefined &&
      PLAIN_ORIGIN.test(origin) &&
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.origin === origin;
    if (!isOrigin)
      problems.push({
        field: `portalOrigins[${index}]`,
        message: 'must be an origin like https://app.example.com (scheme, host and port only, lower case)',
      });
  });
  return problems;
}
