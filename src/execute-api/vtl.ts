// Mapping templates: Velocity (VTL) rendered with velocityjs, with the variables API Gateway
// provides — $input (body, json(), path(), params()), $util (escapeJavaScript, parseJson,
// urlEncode, urlDecode, base64Encode, base64Decode), $context (with requestOverride and
// responseOverride, which a template may #set) and $stageVariables.
import { parse, Compile } from 'velocityjs';
import { configurationError } from './errors.js';
import { evaluateJsonPath } from './jsonpath.js';
import { userRegExp } from '../core/linear-regex.js';
import { javaList, javaMethodHandler, javaString } from './vtl-java.js';

type Ast = ReturnType<typeof parse>;

const MAX_CACHED = 512;
const parsed = new Map<string, Ast>();

function astOf(template: string): Ast {
  let ast = parsed.get(template);
  if (!ast) {
    ast = parse(template);
    if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
    parsed.set(template, ast);
  }
  return ast;
}

export interface TemplateParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface TemplateVariables {
  /** The payload the template maps: the request body, or the integration's response body. */
  body: string;
  params: TemplateParams;
  /** $context: mutable, so `#set($context.responseOverride.status = 400)` reaches the caller. */
  context: Record<string, unknown>;
  stageVariables: Readonly<Record<string, string>> | null;
}

/** Apache Commons' escapeJavaScript, which $util.escapeJavaScript is. */
export function escapeJavaScript(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = javaString(value);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else if (c < 32) {
      switch (c) {
        case 8: out += '\\b'; break;
        case 9: out += '\\t'; break;
        case 10: out += '\\n'; break;
        case 12: out += '\\f'; break;
        case 13: out += '\\r'; break;
        default: out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
      }
    } else {
      const ch = s[i];
      out += ch === '"' || ch === "'" || ch === '\\' || ch === '/' ? '\\' + ch : ch;
    }
  }
  return out;
}

/** Java's URLEncoder.encode (form encoding: space → '+'). */
export function urlEncode(value: unknown): string {
  return encodeURIComponent(value === undefined || value === null ? '' : javaString(value)).replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, '+');
}

export function urlDecode(value: unknown): string {
  const s = String(value ?? '').replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// velocityjs writes an `eval` helper onto objects whose methods a template calls, so each render
// gets its own $util (inheriting these methods) rather than a shared, frozen one.
const utilMethods = {
  escapeJavaScript,
  parseJson(value: unknown): unknown {
    try {
      return JSON.parse(String(value));
    } catch {
      return undefined;
    }
  },
  urlEncode,
  urlDecode,
  base64Encode: (value: unknown) => Buffer.from(value === undefined || value === null ? '' : javaString(value)).toString('base64'),
  base64Decode: (value: unknown) => Buffer.from(String(value ?? ''), 'base64').toString('utf8'),
};

function makeInput(vars: TemplateVariables) {
  let json: { value: unknown } | undefined;
  const document = (): unknown => {
    if (!json) {
      const text = vars.body.trim();
      if (text === '') json = { value: {} };
      else {
        try {
          json = { value: JSON.parse(text) };
        } catch {
          json = { value: vars.body };
        }
      }
    }
    return json.value;
  };
  const p = vars.params;
  // Not a map: $input renders as an object, and map methods do not apply to it.
  return Object.assign(Object.create(inputPrototype) as object, {
    body: vars.body,
    json(path?: string): string {
      const v = evaluateJsonPath(document(), path ?? '$');
      return v === undefined ? '' : JSON.stringify(v);
    },
    path(path?: string): unknown {
      const v = evaluateJsonPath(document(), path ?? '$');
      return v === undefined || v === null ? '' : v;
    },
    params(name?: string): unknown {
      if (name === undefined || name === null) return p;
      const key = String(name);
      if (Object.hasOwn(p.path, key)) return p.path[key];
      if (Object.hasOwn(p.querystring, key)) return p.querystring[key];
      if (Object.hasOwn(p.header, key)) return p.header[key];
      const lower = key.toLowerCase();
      for (const h in p.header) if (h.toLowerCase() === lower) return p.header[h];
      return '';
    },
  });
}
const inputPrototype = {};

// A template reaches JavaScript's string methods, and match, matchAll and search turn a string
// argument into a regular expression: the template's regex against the client's payload. They
// run on the linear-time engine (compiled once per pattern) like every user regex, so one
// template cannot stall the server's thread for every API.
const REGEX_METHODS: Record<string, (s: string, re: (flags: string) => RegExp) => unknown> = {
  match: (s, re) => s.match(re('')),
  matchAll: (s, re) => [...s.matchAll(re('g'))],
  search: (s, re) => s.search(re('')),
};
const templateRegexes = new Map<string, RegExp>();
function templateRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = templateRegexes.get(key);
  if (!re) {
    re = userRegExp(source, flags);
    if (templateRegexes.size >= MAX_CACHED) templateRegexes.clear();
    templateRegexes.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}
const customMethodHandlers = [javaMethodHandler, {
  uid: 'linear-regex',
  match: ({ property, context, params }: { property: string; context: unknown; params: unknown[] }) =>
    typeof context === 'string' && Object.hasOwn(REGEX_METHODS, property) && typeof params[0] === 'string',
  resolve: ({ property, context, params }: { property: string; context: unknown; params: unknown[] }) =>
    REGEX_METHODS[property](context as string, (flags) => templateRegex(params[0] as string, flags)),
}];

// Velocity's rendering through Java's toString: a reference written into the output (isVal) is a
// map or list rendered as Java renders it, and a list literal of the template is a Java list.
class JavaCompile extends Compile {
  protected override getReferences(ast: Parameters<Compile['getReferences']>[0], isVal?: boolean): string {
    const value: unknown = super.getReferences(ast, isVal);
    return isVal && typeof value === 'object' && value !== null ? javaString(value) : (value as string);
  }

  protected override getLiteral(ast: Parameters<Compile['getLiteral']>[0]): string {
    const value: unknown = super.getLiteral(ast);
    if (Array.isArray(value) && (ast as { type?: string }).type === 'array') javaList(value);
    return value as string;
  }
}

/** Renders a mapping template; one that fails to parse or render is the API's configuration error (500). */
export function renderTemplate(template: string, vars: TemplateVariables): string {
  try {
    const compiled = new JavaCompile(astOf(template), { customMethodHandlers });
    return compiled.render({
      input: makeInput(vars),
      util: Object.create(utilMethods) as typeof utilMethods,
      context: vars.context,
      stageVariables: vars.stageVariables ? { ...vars.stageVariables } : {},
    });
  } catch (e) {
    throw configurationError(`Unable to transform the payload with its mapping template: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}
