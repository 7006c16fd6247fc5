// The frame around every page: the workspace's name, the navigation, the workspace switcher (admins) and log out.
import type { ComponentChildren } from 'preact';
import { api, dataOf, type Workspace } from './api/client';
import type { Route } from './router';
import { useSession } from './session-context';
import { useLoad } from './use-load';

function WorkspaceSwitcher({ onSwitch }: { onSwitch: (id: string) => void }) {
  const { workspaceId } = useSession();
  const { data } = useLoad(
    async () => (await dataOf(api.GET('/api/v1/workspaces', { params: { query: { limit: 100 } } }))).data,
    [],
  );
  const workspaces: Workspace[] = data ?? [];
  if (workspaces.length < 2) return null;
  return (
    <div class="switcher">
      <label for="workspace-switcher">Workspace</label>
      <select id="workspace-switcher" value={workspaceId} onChange={(e) => onSwitch(e.currentTarget.value)}>
        {workspaces.map((workspace) => (
          <option value={workspace.id}>{workspace.name}</option>
        ))}
      </select>
    </div>
  );
}

interface ShellProps {
  route: Route;
  onSwitch: (workspaceId: string) => void;
  onLogOut: () => void;
  children: ComponentChildren;
}

export function Shell({ route, onSwitch, onLogOut, children }: ShellProps) {
  const { session } = useSession();
  const portal = session.portal === true;
  const current = (page: Route['page'][]) => (page.includes(route.page) ? 'page' : undefined);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ◆
          </span>
          <span class="brand-name">{portal ? session.workspace.name : 'hookd'}</span>
          {portal ? <span class="muted brand-sub">Webhooks</span> : null}
        </div>
        <nav aria-label="Main">
          <a href="#/" aria-current={current(['webhooks', 'webhook', 'new-webhook', 'delivery'])}>
            Webhooks
          </a>
          <a href="#/event-types" aria-current={current(['event-types'])}>
            Event types
          </a>
          {session.admin && !portal ? (
            <a href="#/settings" aria-current={current(['settings'])}>
              Workspace settings
            </a>
          ) : null}
        </nav>
        <div class="topbar-end">
          {session.admin && !portal ? <WorkspaceSwitcher onSwitch={onSwitch} /> : null}
          {!portal && (
            <button type="button" class="secondary" onClick={onLogOut}>
              Log out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
