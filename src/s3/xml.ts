// S3's REST-XML wire format: answers built from plain values, errors as <Error>, and the few
// small request documents S3 takes (CreateBucketConfiguration, CompleteMultipartUpload, Delete)
// read by their elements.
import type { ServerResponse } from 'node:http';
import { s3Error, type S3Error } from './errors.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** An element tree as nested values: a string or number is text, an array repeats the element. */
export type XmlValue = string | number | boolean | XmlObject | XmlValue[] | undefined;
export interface XmlObject { [name: string]: XmlValue }

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => render(name, v)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([n, v]) => render(n, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const wrap = (root: string, inner: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${inner}</${root}>`;

export function xmlDocument(root: string, body: XmlObject): string {
  return wrap(root, Object.entries(body).map(([n, v]) => render(n, v)).join(''));
}

export function sendXml(res: ServerResponse, status: number, root: string, body: XmlObject, headers: Record<string, string> = {}): void {
  sendText(res, status, xmlDocument(root, body), headers);
}

/** A 200 document whose content is written out (`inner`: escaped XML, e.g. with attributes the value form has not). */
export function sendDocument(res: ServerResponse, root: string, inner: string): void {
  sendText(res, 200, wrap(root, inner), {});
}

function sendText(res: ServerResponse, status: number, xml: string, headers: Record<string, string>): void {
  const text = Buffer.from(xml, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': text.length });
  res.end(text);
}

/** S3's error document; HEAD answers carry no body, only the status. */
export function sendError(res: ServerResponse, method: string, e: S3Error, requestId: string): void {
  const headers = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
  if (method === 'HEAD') {
    res.writeHead(e.status, headers).end();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${render('Error', { Code: e.code, Message: e.message, ...e.fields, RequestId: requestId, HostId: requestId })}`;
  const text = Buffer.from(body, 'utf8');
  res.writeHead(e.status, { ...headers, 'content-type': 'application/xml', 'content-length': text.length });
  res.end(text);
}

export const unescapeXml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => codePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => codePoint(Number(d))).replace(/&amp;/g, '&');

/** A reference to a character XML does not allow (`&#0;`, a surrogate, beyond Unicode) is MalformedXML, not a RangeError. */
function codePoint(n: number): string {
  const allowed = n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
  if (!allowed) throw s3Error('MalformedXML');
  return String.fromCodePoint(n);
}

/**
 * The texts of every `<name>` element directly or deeply inside `xml` (namespace prefixes ignored).
 * Linear in the document: an opening tag without its closing one ends the scan (a lazy regex over
 * thousands of unclosed tags would rescan the rest of the document for each).
 */
export function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const open = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^<>]*)?>`, 'g');
  const close = new RegExp(`</(?:\\w+:)?${name}>`, 'g');
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    close.lastIndex = open.lastIndex;
    const end = close.exec(xml);
    if (!end) break;
    out.push(xml.slice(open.lastIndex, end.index));
    open.lastIndex = close.lastIndex;
  }
  return out;
}

export const text = (xml: string, name: string): string | undefined => {
  const v = elements(xml, name)[0];
  return v === undefined ? undefined : unescapeXml(v.trim());
};

/** A request document that must have `root` as its root element. */
export function parseDocument(body: Buffer, root: string): string {
  const xml = body.toString('utf8');
  // No DTDs: entities are never expanded (no XXE, no billion laughs); S3 refuses such documents.
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) throw s3Error('MalformedXML');
  if (!new RegExp(`<(?:\\w+:)?${root}[\\s/>]`).test(xml)) throw s3Error('MalformedXML');
  return xml;
}
