// "Copy as curl": the exact request an attempt made (its headers as recorded, credentials masked, and its body), as a
// command a person pastes into a shell to replay it against their endpoint.

/** A string as one single-quoted shell word: safe whatever the body holds. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// curl computes these itself from the body and the URL; sending the recorded ones could only make them wrong.
const LEFT_TO_CURL = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

export function curlCommand(url: string, headers: Record<string, string>, body: string): string {
  const lines = [`curl -X POST ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(headers)) {
    if (!LEFT_TO_CURL.has(name.toLowerCase())) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  lines.push(`  --data-binary ${shellQuote(body)}`);
  return lines.join(' \\\n');
}
