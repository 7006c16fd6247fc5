// How a webhook's own header values are shown (never: only their names), and how a change that sends a shown value
// back keeps the stored one.
import type { FieldProblem } from './errors.js';

/** What every answer and the attempt log show instead of a webhook's own header value (often `Bearer …`). */
export const MASKED_HEADER_VALUE = '[redacted]';

/** `headers` with the values of `names` (default: every one) replaced by the mask. */
export function maskHeaderValues(
  headers: Record<string, string>,
  names: Iterable<string> = Object.keys(headers),
): Record<string, string> {
  const hidden = new Set(names);
  // Built with fromEntries, not assignments: a header may be named "__proto__".
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, hidden.has(name) ? MASKED_HEADER_VALUE : value]),
  );
}

/** The stored value of header `name`, matched as HTTP does, whatever its case. */
function storedValue(stored: Record<string, string>, name: string): string | undefined {
  if (Object.hasOwn(stored, name)) return stored[name];
  const lower = name.toLowerCase();
  const found = Object.keys(stored).find((storedName) => storedName.toLowerCase() === lower);
  return found === undefined ? undefined : stored[found];
}

/**
 * Headers sent on a change: a value equal to the mask is one read from hookd and sent back, so the header keeps its
 * stored value (a client that reads a webhook, edits a field and sends it all back must not store the mask).
 * A mask for a header the webhook does not have stands for nothing: a problem naming it.
 */
export function unmaskHeaderValues(
  sent: Record<string, string>,
  stored: Record<string, string>,
): { headers: Record<string, string>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const entries = Object.entries(sent).map(([name, value]): [string, string] => {
    if (value !== MASKED_HEADER_VALUE) return [name, value];
    const kept = storedValue(stored, name);
    if (kept === undefined)
      problems.push({
        field: `headers.${name}`,
        message: `"${MASKED_HEADER_VALUE}" keeps a stored value, and this webhook has no such header; send the value itself`,
      });
    return [name, kept ?? value];
  });
  return { headers: Object.fromEntries(entries), problems };
}

/** On create nothing is stored yet: a mask there was copied from another webhook's answer, not a value. */
export function maskedHeaderProblems(headers: Record<string, string>): FieldProblem[] {
  return Object.entries(headers)
    .filter(([, value]) => value === MASKED_HEADER_VALUE)
    .map(([name]) => ({
      field: `headers.${name}`,
      message: `"${MASKED_HEADER_VALUE}" is how hookd shows a stored value; send the value itself`,
    }));
}
