// One thing shown to people as aligned "name  value" lines (the table of a single item).

/** Lines of `label  value`, labels padded to one width; rows whose value is undefined are left out. */
export function fieldList(rows: [label: string, value: string | undefined][]): string {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n') + '\n';
}

/** JSON for a field line: compact on one line. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value);
}
