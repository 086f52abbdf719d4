// The API key file ImportApiKeys reads (format=csv), as AWS documents it: a header row naming the
// columns in any order and any case — Name and Key required; Description, Enabled and
// UsagePlanIds optional; others ignored — then one key per row. A field may be enclosed in double
// or single quotes (a doubled quote inside stands for one), which is how a row lists several
// usage plan ids.

export interface ApiKeyRow {
  /** 1-based line of the row in the file. */
  line: number;
  name: string;
  key: string;
  description: string;
  /** The Enabled column as written ('' when absent: true). */
  enabled: string;
  usagePlanIds: string[];
}

/** Splits CSV text into rows of fields; each row with the line it starts on. */
function records(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  // Whether `field` is still only blanks, kept as we go: trimming it at every quote would make a
  // long unquoted field full of quotes quadratic.
  let blank = true;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    blank = true;
  };
  while (i < text.length) {
    const c = text[i];
    if ((c === '"' || c === "'") && blank) {
      // A quoted field: up to the matching quote; a doubled quote is one.
      field = '';
      i++;
      while (i < text.length) {
        if (text[i] === c && text[i + 1] === c) {
          field += c;
          i += 2;
        } else if (text[i] === c) {
          i++;
          break;
        } else {
          if (text[i] === '\n') line++;
          field += text[i++];
        }
      }
      blank = field.trim() === '';
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      blank = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else {
      field += c;
      if (blank && c.trim() !== '') blank = false;
    }
    i++;
  }
  if (field !== '' || fields.length) endRecord();
  return out;
}

/** The file's key rows, or a message saying why the file cannot be read. */
export function parseApiKeyCsv(text: string): ApiKeyRow[] | string {
  const [header, ...rows] = records(text.replace(/^\uFEFF/, ''));
  if (!header) return 'The API key file is empty';
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  if (at('name') < 0 || at('key') < 0) return 'The API key file must have the Name and Key columns';
  const cell = (fields: string[], name: string) => (at(name) < 0 ? '' : (fields[at(name)] ?? '').trim());
  return rows.map(({ line, fields }) => ({
    line,
    name: cell(fields, 'name'),
    key: cell(fields, 'key'),
    description: cell(fields, 'description'),
    enabled: cell(fields, 'enabled'),
    usagePlanIds: cell(fields, 'usageplanids').split(',').map((s) => s.trim()).filter(Boolean),
  }));
}
