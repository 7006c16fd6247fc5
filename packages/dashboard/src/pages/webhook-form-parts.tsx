// The two richer controls of the webhook form: events (catalog checkboxes plus typed patterns) and the retry schedule.
import type { FieldProblem } from '../api/client';
import { describedBy, problemsFor } from '../ui/field';
import { CUSTOM_RETRY, RETRY_PRESETS, type WebhookFormState } from './webhook-form-model';

interface PartProps {
  form: WebhookFormState;
  update: (change: Partial<WebhookFormState>) => void;
  problems: FieldProblem[];
}

export function EventsPicker({ form, update, problems, catalog }: PartProps & { catalog: string[] }) {
  const errors = problemsFor(problems, 'events');
  const toggle = (name: string, on: boolean) =>
    update({ events: on ? [...form.events, name] : form.events.filter((e) => e !== name) });
  return (
    <fieldset class={errors.length ? 'field has-error' : 'field'}>
      <legend>Events</legend>
      {catalog.length > 0 && (
        <div class="checks">
          {catalog.map((name) => (
            <label class="check">
              <input
                type="checkbox"
                checked={form.events.includes(name)}
                onChange={(e) => toggle(name, e.currentTarget.checked)}
              />
              <code>{name}</code>
            </label>
          ))}
        </div>
      )}
      <label for="typed-events">{catalog.length ? 'Other events or patterns' : 'Events or patterns'}</label>
      <input
        id="typed-events"
        value={form.typedEvents}
        placeholder="message.*, conversation.created"
        onInput={(e) => update({ typedEvents: e.currentTarget.value })}
        aria-describedby={describedBy('typed-events', true, errors)}
      />
      <p class="hint" id="typed-events-hint">
        Separate with commas. <code>prefix.*</code> matches everything under a prefix, <code>*</code> every event; none
        selected: no event is sent.
      </p>
      {errors.map((message) => (
        <p class="field-error" id="typed-events-error" role="alert">
          {message}
        </p>
      ))}
    </fieldset>
  );
}

export function RetryPicker({ form, update, problems }: PartProps) {
  const errors = problemsFor(problems, 'retry');
  return (
    <fieldset class={errors.length ? 'field has-error' : 'field'}>
      <legend>Retries</legend>
      <label for="retry-preset">Retry schedule</label>
      <select
        id="retry-preset"
        value={form.retryPreset}
        onChange={(e) => update({ retryPreset: e.currentTarget.value })}
        aria-describedby={describedBy('retry-preset', false, errors)}
      >
        {RETRY_PRESETS.map((preset) => (
          <option value={preset.id}>{preset.label}</option>
        ))}
        <option value={CUSTOM_RETRY}>Custom…</option>
      </select>
      {form.retryPreset === CUSTOM_RETRY && (
        <>
          <label for="custom-schedule">Custom schedule</label>
          <input
            id="custom-schedule"
            value={form.customSchedule}
            placeholder="10s, 1m, 10m, 1h"
            onInput={(e) => update({ customSchedule: e.currentTarget.value })}
            aria-describedby="custom-schedule-hint"
          />
          <p class="hint" id="custom-schedule-hint">
            The wait before each retry, separated by commas: a whole number and ms, s, m, h or d.
          </p>
        </>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={form.retryOn4xx}
          onChange={(e) => update({ retryOn4xx: e.currentTarget.checked })}
        />
        Retry after a 4xx answer (408 and 429 are always retried)
      </label>
      {errors.map((message) => (
        <p class="field-error" id="retry-preset-error" role="alert">
          {message}
        </p>
      ))}
    </fieldset>
  );
}
