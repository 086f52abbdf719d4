// Number formatting for the report: the same precision everywhere.

export const NA = 'n/a';

export function fmtInt(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NA;
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NA;
  if (Math.abs(n) < 10) return n.toFixed(2);
  if (Math.abs(n) < 100) return n.toFixed(1);
  return Math.round(n).toLocaleString('en-US');
}

export function fmtSignedMs(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NA;
  return `${n >= 0 ? '+' : '−'}${fmtMs(Math.abs(n))}`;
}

export function fmtRatio(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NA;
  return `${n < 10 ? n.toFixed(2) : n.toFixed(1)}×`;
}

export function fmtPercent(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return NA;
  return `${Math.round(n * 100)}%`;
}

export const fmtMiB = (n: number | null | undefined): string => (n == null || !Number.isFinite(n) ? NA : n.toFixed(1));

/** Escapes text for a markdown table cell. */
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A markdown table: the first column left-aligned, the others right-aligned (numbers) unless `left`. */
export function table(header: string[], rows: string[][], options: { left?: boolean } = {}): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 || options.left ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
