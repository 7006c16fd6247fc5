// Workspaces (tenants), their API keys and their event-type catalog.
import type { FieldProblem } from './errors.js';
import { durationProblem } from './duration.js';

export interface Workspace {
  id: string;
  name: string;
  alertEmail: string | null;
  alertUrl: string | null;
  /** A webhook failing without a success for this long is disabled; null: never. */
  autoDisableAfter: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type WorkspaceSettings = Pick<Workspace, 'name' | 'alertEmail' | 'alertUrl' | 'autoDisableAfter'>;

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
    const problem = durationProblem(settings.autoDisableAfter, 60_000, 90 * 86_400_000);
    if (problem) problems.push({ field: 'autoDisableAfter', message: problem });
  }
  return problems;
}
