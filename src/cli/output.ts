// Terminal output: colour only when writing to a terminal (NO_COLOR / FORCE_COLOR respected),
// aligned tables, and the one-line error format every command uses.

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const COLOURS: Palette = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), magenta: wrap(35, 39) };
const PLAIN: Palette = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s, magenta: (s) => s };

/** Colours for `stream` unless disabled; FORCE_COLOR turns them on even when piped. */
export function palette(stream: NodeJS.WriteStream, disabled = false): Palette {
  if (disabled || 'NO_COLOR' in process.env) return PLAIN;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force === '0' || force === 'false' ? PLAIN : COLOURS;
  return stream.isTTY ? COLOURS : PLAIN;
}

const ANSI = /\x1b\[[0-9;]*m/g;
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/** Rows as aligned columns; the header in bold. Cells may already carry colour. */
export function table(header: string[], rows: string[][], colours: Palette): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - visibleLength(c)))).join('  ').trimEnd();
  return [colours.bold(line(header)), ...rows.map(line)].join('\n');
}

export function write(text: string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A command line node:util's parseArgs refused (unknown option, missing value, stray argument):
 * one line on stderr pointing at --help, and exit code 2. Anything else is rethrown.
 */
export function reportUsageError(name: string, e: unknown): number {
  if (!(e instanceof TypeError && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_'))) throw e;
  const message = e.message.replace(/\. To specify a positional argument.*$/s, '');
  process.stderr.write(`stagecraft ${name}: ${message.replace(/\.$/, '')}. Run \`stagecraft ${name} --help\` for its options.\n`);
  return 2;
}
