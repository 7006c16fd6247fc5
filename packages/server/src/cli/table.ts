// Compact, aligned columns for human output: a header row, then one line per item.

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** A list's view for people: `none` on a line of its own when there is nothing, else a table of one row per item. */
export function tableOf<T>(none: string, headers: string[], row: (item: T) => string[]): (items: T[]) => string {
  return (items) => (items.length === 0 ? `${none}\n` : table(headers, items.map(row)));
}
