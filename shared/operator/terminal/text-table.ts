/**
 * A plain text table: a header row, columns padded to their widest cell, cells cut at
 * `maxCellWidth` with an ellipsis. Empty cells show as "-" so columns stay readable.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
  options: { maxCellWidth?: number } = {},
): string {
  const max = options.maxCellWidth ?? 40;
  const cells = rows.map((row) => headers.map((_, index) => cell(row[index], max)));
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n");
}

function cell(value: string | number | undefined, max: number): string {
  if (value === undefined || value === "") return "-";
  const text = String(value).replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
