// "Copy as curl": the exact request an attempt made (its headers as recorded and its body), as a command a person
// pastes into a shell to replay it against their endpoint. A webhook's own header values (an Authorization, say) are
// never read back from hookd: the command takes each from a shell variable the person sets (see maskedHeaders).

/** A string as one single-quoted shell word: safe whatever the body holds. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// curl computes these itself from the body and the URL; sending the recorded ones could only make them wrong.
const LEFT_TO_CURL = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

/** How hookd shows a webhook's own header value (MASKED_HEADER_VALUE in the server). */
export const MASKED = '[redacted]';

/** The shell variable a masked header's value is read from: Authorization -> AUTHORIZATION, X-Api-Key -> X_API_KEY. */
export function variableFor(headerName: string): string {
  const name = headerName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The names of the headers whose values the command takes from variables. */
export function maskedHeaders(headers: Record<string, string>): string[] {
  return Object.keys(headers).filter((name) => headers[name] === MASKED && !LEFT_TO_CURL.has(name.toLowerCase()));
}

export function curlCommand(url: string, headers: Record<string, string>, body: string): string {
  const lines = [`curl -X POST ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(headers)) {
    if (LEFT_TO_CURL.has(name.toLowerCase())) continue;
    if (value !== MASKED) {
      lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
      continue;
    }
    // One word: the name single-quoted (a header name may hold $ or `), the variable double-quoted; unset, the shell
    // stops and says what to set (a message, not a comment line: zsh, macOS's shell, runs a pasted "# ..." as a command).
    const variable = variableFor(name);
    const message = `set ${variable} to the header value hookd does not show`;
    lines.push(`  -H ${shellQuote(`${name}: `)}"\${${variable}:?${message}}"`);
  }
  lines.push(`  --data-binary ${shellQuote(body)}`);
  return lines.join(' \\\n');
}
