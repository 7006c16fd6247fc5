// Copies a text to the clipboard and says so in place (a live region, so screen readers hear it too).
import { useState } from 'preact/hooks';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState<'' | 'copied' | 'failed'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
  };
  return (
    <span class="copy">
      <button type="button" class="secondary" onClick={() => void copy()}>
        {label}
      </button>
      <span class="copy-status" role="status">
        {done === 'copied' ? 'Copied' : done === 'failed' ? 'Could not copy: select the text and copy it' : ''}
      </span>
    </span>
  );
}
