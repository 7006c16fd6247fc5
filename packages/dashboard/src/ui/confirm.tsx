// A question asked in place before something that cannot be undone (delete, replace a secret): yes or cancel.
import type { ComponentChildren } from 'preact';

interface ConfirmProps {
  /** What the dialog asks, for screen readers: "Delete invoice.paid?". */
  label: string;
  /** The button that does it: "Yes, delete it". */
  yes: string;
  onYes: () => void;
  onCancel: () => void;
  busy?: boolean;
  children: ComponentChildren;
}

export function Confirm({ label, yes, onYes, onCancel, busy = false, children }: ConfirmProps) {
  return (
    <div class="notice notice-warn confirm" role="alertdialog" aria-label={label}>
      <p>{children}</p>
      <button type="button" class="danger" onClick={onYes} disabled={busy}>
        {yes}
      </button>{' '}
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
