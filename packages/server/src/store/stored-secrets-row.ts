// A webhook's secret columns as both engines store them, for `hookd encryption rotate` and the start-up key check.
import type { StoredSecrets } from './store.js';

export interface StoredSecretsRow {
  workspace_id: string;
  id: string;
  secret: string | null;
  previous_secret: string | null;
  headers: string;
}

export const toStoredSecrets = (row: StoredSecretsRow): StoredSecrets => ({
  workspaceId: row.workspace_id,
  id: row.id,
  secret: row.secret,
  previousSecret: row.previous_secret,
  headersJson: row.headers,
});
