// A labelled control with its hint and, beside it, the API's message for that field (aria-describedby ties them).
import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../api/client';

let nextId = 0;
export function fieldId(name: string): string {
  return `f-${name.replace(/[^\w-]/g, '-')}-${++nextId}`;
}

/** The API's messages for one form field: `retry.schedule[2]` belongs to the field named `retry.schedule`. */
export function problemsFor(problems: FieldProblem[], name: string): string[] {
  return problems
    .filter((p) => p.field === name || p.field.startsWith(name + '.') || p.field.startsWith(name + '['))
    .map((p) => p.message);
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ComponentChildren;
}

export function Field({ id, label, hint, errors = [], children }: FieldProps) {
  return (
    <div class={errors.length ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {errors.map((message) => (
        <p class="field-error" id={`${id}-error`} role="alert">
          {message}
        </p>
      ))}
    </div>
  );
}

/** aria-describedby for a control inside <Field>. */
export function describedBy(id: string, hint: boolean, errors: string[]): string | undefined {
  const ids = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

interface TextAreaFieldProps {
  id: string;
  label: string;
  hint: string;
  errors: string[];
  rows: number;
  value: string;
  onInput: (value: string) => void;
}

/** A <Field> holding a textarea (JSON, header lines), described by its hint and the API's messages for it. */
export function TextAreaField({ id, label, hint, errors, rows, value, onInput }: TextAreaFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} errors={errors}>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-describedby={describedBy(id, true, errors)}
      />
    </Field>
  );
}
