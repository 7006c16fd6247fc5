// The workspace settings form as the person types it (text everywhere), and the PATCH body the API expects from it.
import type { Workspace } from '../api/client';

export interface SettingsDraft {
  name: string;
  alertEmail: string;
  alertUrl: string;
  autoDisableAfter: string;
  /** One origin per line. */
  portalOrigins: string;
  accentColor: string;
}

export function draftOf(workspace: Workspace): SettingsDraft {
  return {
    name: workspace.name,
    alertEmail: workspace.alertEmail ?? '',
    alertUrl: workspace.alertUrl ?? '',
    autoDisableAfter: workspace.autoDisableAfter ?? '',
    portalOrigins: (workspace.portalOrigins ?? []).join('\n'),
    accentColor: workspace.accentColor ?? '',
  };
}

/** An empty field clears the setting (null), as the API spells "none". */
function orNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

export function patchOf(draft: SettingsDraft) {
  return {
    name: draft.name.trim(),
    alertEmail: orNull(draft.alertEmail),
    alertUrl: orNull(draft.alertUrl),
    autoDisableAfter: orNull(draft.autoDisableAfter),
    portalOrigins: draft.portalOrigins
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    accentColor: orNull(draft.accentColor),
  };
}
