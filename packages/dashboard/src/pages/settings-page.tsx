// The workspace's settings (admin keys only, as the API allows): its name, where alerts go, when a failing webhook is
// disabled, and how the portal looks and where it may be embedded.
import { useState } from 'preact/hooks';
import { api, ApiError, dataOf, type FieldProblem, type Workspace } from '../api/client';
import { useSession } from '../session-context';
import { ErrorNotice, messageOf } from '../ui/error-notice';
import { describedBy, Field, problemsFor } from '../ui/field';
import { useLoad } from '../use-load';
import { AlertSecret } from './alert-secret';
import { draftOf, patchOf, type SettingsDraft } from './settings-model';

interface TextSetting {
  key: Exclude<keyof SettingsDraft, 'portalOrigins'>;
  label: string;
  hint: string;
  /** The phone's keyboard for it (a plain text input: the API, not the browser, judges the value). */
  inputMode?: 'email' | 'url';
}

const ALERT_SETTINGS: TextSetting[] = [
  {
    key: 'alertEmail',
    label: 'Alert email',
    hint: 'Gets an email when a webhook starts failing, is disabled, or recovers. Empty: no email.',
    inputMode: 'email',
  },
  {
    key: 'alertUrl',
    label: 'Alert URL',
    hint: 'Gets a signed POST (webhook.failing, webhook.disabled, webhook.recovered). Empty: none.',
    inputMode: 'url',
  },
  {
    key: 'autoDisableAfter',
    label: 'Disable a webhook failing for',
    hint: 'e.g. 5d: a webhook with no success for this long is disabled; its deliveries wait. Empty: never.',
  },
];

function TextRow({ setting, draft, problems, onInput }: RowProps & { setting: TextSetting }) {
  const id = `ws-${setting.key}`;
  const errors = problemsFor(problems, setting.key);
  return (
    <Field id={id} label={setting.label} hint={setting.hint} errors={errors}>
      <input
        id={id}
        inputMode={setting.inputMode}
        value={draft[setting.key]}
        onInput={(e) => onInput({ ...draft, [setting.key]: e.currentTarget.value })}
        aria-describedby={describedBy(id, true, errors)}
      />
    </Field>
  );
}

interface RowProps {
  draft: SettingsDraft;
  problems: FieldProblem[];
  onInput: (draft: SettingsDraft) => void;
}

function PortalRows({ draft, problems, onInput }: RowProps) {
  const originErrors = problemsFor(problems, 'portalOrigins');
  return (
    <fieldset class="settings-group">
      <legend>Portal</legend>
      <Field
        id="ws-portalOrigins"
        label="Sites that may embed the portal"
        hint="One origin per line, e.g. https://app.example.com"
        errors={originErrors}
      >
        <textarea
          id="ws-portalOrigins"
          rows={3}
          value={draft.portalOrigins}
          onInput={(e) => onInput({ ...draft, portalOrigins: e.currentTarget.value })}
          aria-describedby={describedBy('ws-portalOrigins', true, originErrors)}
        />
      </Field>
      <TextRow
        setting={{ key: 'accentColor', label: 'Accent colour', hint: 'As #rrggbb; the portal wears it.' }}
        draft={draft}
        problems={problems}
        onInput={onInput}
      />
    </fieldset>
  );
}

function SettingsForm({ workspace, onSaved }: { workspace: Workspace; onSaved: (saved: Workspace) => void }) {
  const [draft, setDraft] = useState(() => draftOf(workspace));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [summary, setSummary] = useState('');
  const [saved, setSaved] = useState(false);
  const edit = (next: SettingsDraft) => (setDraft(next), setSaved(false));
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const path = { id: workspace.id };
      const saved = await dataOf(api.PATCH('/api/v1/workspaces/{id}', { params: { path }, body: patchOf(draft) }));
      setProblems([]);
      setSummary('');
      setSaved(true);
      onSaved(saved);
    } catch (failure) {
      setProblems(failure instanceof ApiError ? failure.details : []);
      setSummary(messageOf(failure));
    }
  };
  const rowProps = { draft, problems, onInput: edit };
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorNotice error={summary || undefined} />
      <TextRow setting={{ key: 'name', label: 'Name', hint: 'Shown in the dashboard and the portal.' }} {...rowProps} />
      <fieldset class="settings-group">
        <legend>Alerts</legend>
        {ALERT_SETTINGS.map((setting) => (
          <TextRow setting={setting} {...rowProps} />
        ))}
      </fieldset>
      <PortalRows {...rowProps} />
      <div class="actions">
        <button type="submit">Save settings</button>
        {saved && (
          <span class="notice notice-ok" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

export function SettingsPage() {
  const { session, workspaceId } = useSession();
  const loaded = useLoad(
    async () =>
      session.admin ? dataOf(api.GET('/api/v1/workspaces/{id}', { params: { path: { id: workspaceId } } })) : undefined,
    [workspaceId],
  );
  // The last save's answer: it holds the alert secret the one time the API gives it (the save that sets an alert URL).
  const [saved, setSaved] = useState<Workspace | undefined>(undefined);
  if (!session.admin)
    return (
      <section>
        <h1>Workspace settings</h1>
        <p>A workspace's settings are changed with an admin API key.</p>
      </section>
    );
  const workspace = saved ?? loaded.data;
  return (
    <section>
      <h1>Workspace settings</h1>
      <ErrorNotice error={loaded.error} />
      {loaded.data ? (
        <SettingsForm workspace={loaded.data} onSaved={setSaved} />
      ) : (
        !loaded.error && <p class="loading">Loading…</p>
      )}
      {workspace?.alertUrl && <AlertSecret workspaceId={workspace.id} shown={saved?.alertSecret ?? undefined} />}
    </section>
  );
}
