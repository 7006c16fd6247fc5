// What the dashboard part of the app is configured with; every field has a default, so tests and embedders give
// only what they change.
import { DEFAULT_DASHBOARD_DIR } from './dashboard-files.js';

export interface DashboardSettings {
  /** The built dashboard (index.html and assets/). */
  dir: string;
  /** How long a browser session lasts (`--dashboard-session-ttl`). */
  sessionTtlMs: number;
  /** The origin portal links point at (`--public-url`); undefined: the request's own origin. */
  publicUrl: string | undefined;
}

export const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000;

export function dashboardSettings(given: Partial<DashboardSettings> = {}): DashboardSettings {
  return {
    dir: given.dir ?? DEFAULT_DASHBOARD_DIR,
    sessionTtlMs: given.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    publicUrl: given.publicUrl,
  };
}
