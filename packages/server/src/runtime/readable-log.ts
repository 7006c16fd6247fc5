// Log lines for a person at a terminal: "12:00:01.123 WARN  delivery failed: no retries left webhookId=wh_… …".
// pino writes JSON (what log collectors want); this turns each line into text, keeping every field but the ones that
// say nothing to a reader (pid, hostname, service). The redaction has already happened in pino.
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEFT_OUT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err']);

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One JSON log line as text; a line that is not JSON passes as it is. */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !LEFT_OUT.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const errText = err ? `\n    ${(err.stack ?? err.message ?? '').replaceAll('\n', '\n    ')}` : '';
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  return `${time} ${level} ${message}${fields.length ? ` ${fields.join(' ')}` : ''}${errText}\n`;
}

/** A pino destination writing readable lines to `out` (stdout when it is a terminal). */
export function readableDestination(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void out.write(readableLine(line)) };
}
