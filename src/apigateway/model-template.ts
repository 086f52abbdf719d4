// GetModelTemplate: a sample mapping template (VTL) that builds a payload of the model's shape from
// the input, as the console's "generate template" does: strings quoted, numbers and booleans bare,
// nested objects expanded, arrays as #foreach loops. AWS documents the purpose, not the exact
// text, so this is our rendering of it (references to other models are flattened first).

type Schema = Record<string, unknown>;

const asSchema = (v: unknown): Schema => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {});

function typeOf(schema: Schema): string {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return String(t.find((x) => x !== 'null') ?? 'string');
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'string';
}

function render(schema: Schema, ref: string, indent: string, depth: number): string {
  if (depth > 16) return ref;
  const type = typeOf(schema);
  if (type === 'object') {
    const props = Object.entries(asSchema(schema.properties));
    if (!props.length || depth > 8) return '{ }';
    const inner = indent + '  ';
    const lines = props.map(([name, sub]) => `${inner}"${name}" : ${render(asSchema(sub), `${ref}.${name}`, inner, depth + 1)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  if (type === 'array') {
    const elem = `$elem${depth || ''}`;
    const item = render(asSchema(schema.items), elem, indent + '  ', depth + 1);
    return `[\n#foreach(${elem} in ${ref})\n${indent}  ${item}#if($foreach.hasNext),#end\n#end\n${indent}]`;
  }
  if (type === 'string') return `"${ref}"`;
  return ref;
}

/** The template for a (flattened) schema text; a schema that is not JSON gives the bare skeleton. */
export function modelTemplate(flattenedSchema: string): string {
  let schema: Schema = {};
  try {
    schema = asSchema(JSON.parse(flattenedSchema));
  } catch {
    // An unreadable schema still gets the skeleton.
  }
  return `#set($inputRoot = $input.path('$'))\n${render(schema, '$inputRoot', '', 0)}`;
}
