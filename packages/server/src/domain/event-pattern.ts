// Event type names and the patterns a webhook subscribes with: an exact name, "prefix.*", or "*".

const SEGMENT = '[A-Za-z0-9_-]+';
const EVENT_TYPE_NAME = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);
const MAX_NAME_LENGTH = 128;

export function eventTypeNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return `must be 1 to ${MAX_NAME_LENGTH} characters`;
  if (!EVENT_TYPE_NAME.test(name))
    return `"${name}" is not an event type name: use dot-separated words of letters, digits, "_" and "-" (e.g. "conversation.created")`;
  return undefined;
}

export function eventPatternProblem(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  const name = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  if (eventTypeNameProblem(name) === undefined) return undefined;
  return `"${pattern}" is not an event pattern: use an exact name ("message.created"), a prefix ("message.*") or "*"`;
}

export function matchesEventPattern(pattern: string, eventType: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return eventType.startsWith(pattern.slice(0, -1));
  return pattern === eventType;
}

export function matchesAnyEventPattern(patterns: readonly string[], eventType: string): boolean {
  return patterns.some((pattern) => matchesEventPattern(pattern, eventType));
}
