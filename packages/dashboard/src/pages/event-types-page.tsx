// The event-type catalog: names, descriptions and JSON Schemas; create and delete (not from a portal link).
import { useState } from 'preact/hooks';
import { api, ApiError, dataOf, type EventType, type FieldProblem } from '../api/client';
import { loadEventTypes } from '../api/catalog';
import { useSession } from '../session-context';
import { ErrorNotice, messageOf } from '../ui/error-notice';
import { describedBy, Field, problemsFor, TextAreaField } from '../ui/field';
import { useLoad } from '../use-load';
import { Confirm } from '../ui/confirm';

function NewEventType({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [schema, setSchema] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [summary, setSummary] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = schema.trim() ? (JSON.parse(schema) as Record<string, unknown>) : undefined;
    } catch {
      setProblems([{ field: 'schema', message: 'must be JSON (a JSON Schema object)' }]);
      return;
    }
    try {
      await dataOf(api.POST('/api/v1/event-types', { body: { name: name.trim(), description, schema: parsed } }));
      setName('');
      setDescription('');
      setSchema('');
      setProblems([]);
      setSummary('');
      await onCreated();
    } catch (failure) {
      setProblems(failure instanceof ApiError ? failure.details : []);
      setSummary(messageOf(failure));
    }
  };
  const nameErrors = problemsFor(problems, 'name');
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>New event type</h2>
      <ErrorNotice error={summary || undefined} />
      <div class="row">
        <Field id="et-name" label="Name" hint="e.g. invoice.paid" errors={nameErrors}>
          <input
            id="et-name"
            value={name}
            required
            onInput={(e) => setName(e.currentTarget.value)}
            aria-describedby={describedBy('et-name', true, nameErrors)}
          />
        </Field>
        <Field id="et-description" label="Description" errors={problemsFor(problems, 'description')}>
          <input id="et-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
      </div>
      <TextAreaField
        id="et-schema"
        label="JSON Schema of data"
        hint="Optional: published data must match it."
        errors={problemsFor(problems, 'schema')}
        rows={4}
        value={schema}
        onInput={setSchema}
      />
      <div class="actions">
        <button type="submit">Create event type</button>
      </div>
    </form>
  );
}

function EventTypeCard({ type, onDelete }: { type: EventType; onDelete?: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li class="card event-type">
      <div class="page-head">
        <h3>
          <code>{type.name}</code>
        </h3>
        {onDelete && !confirming && (
          <button
            type="button"
            class="danger small"
            onClick={() => setConfirming(true)}
            aria-label={`Delete ${type.name}`}
          >
            Delete
          </button>
        )}
      </div>
      {confirming && onDelete && (
        <Confirm
          label={`Delete ${type.name}?`}
          yes="Yes, delete it"
          onYes={() => void onDelete()}
          onCancel={() => setConfirming(false)}
        >
          Delete {type.name} from the catalog? Webhooks that list it keep it.
        </Confirm>
      )}
      <p>{type.description || <span class="muted">No description</span>}</p>
      {type.schema && (
        <details>
          <summary>Schema</summary>
          <pre class="body">{JSON.stringify(type.schema, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

export function EventTypesPage() {
  const { canWrite, session } = useSession();
  const manage = canWrite && !session.portal;
  const types = useLoad(loadEventTypes, []);
  const [error, setError] = useState<unknown>(undefined);
  const remove = (name: string) => async () => {
    try {
      await dataOf(api.DELETE('/api/v1/event-types/{name}', { params: { path: { name } } }));
      await types.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section>
      <h1>Event types</h1>
      <p class="muted">The events this workspace publishes. Webhooks subscribe to them by name or pattern.</p>
      <ErrorNotice error={types.error ?? error} />
      {manage && <NewEventType onCreated={types.reload} />}
      {types.data?.length === 0 && (
        <p class="card empty">The catalog is empty.{manage ? ' Add the first event type above.' : ''}</p>
      )}
      <ul class="event-types">
        {types.data?.map((type) => (
          <EventTypeCard key={type.name} type={type} onDelete={manage ? remove(type.name) : undefined} />
        ))}
      </ul>
    </section>
  );
}
