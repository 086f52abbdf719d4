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

export function xmlDocument(root: string, body: XmlObject): string {
  const inner = Object.entries(body).map(([n, v]) => render(n, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${inner}</${root}>`;
}

export function sendXml(res: ServerResponse, status: number, root: string, body: XmlObject, headers: Record<string, string> = {}): void {
  const text = Buffer.from(xmlDocument(root, body), 'utf8');
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

const unescapeXml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');

/** The texts of every `<name>` element directly or deeply inside `xml` (namespace prefixes ignored). */
export function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`, 'g');
  for (const m of xml.matchAll(re)) out.push(m[1]);
  return out;
}

export const text = (xml: string, name: string): string | undefined => {
  const v = elements(xml, name)[0];
  return v === undefined ? undefined : unescapeXml(v.trim());
};

/** A request document that must have `root` as its root element. */
export function parseDocument(body: Buffer, root: string): string {
  const xml = body.toString('utf8');
  if (!new RegExp(`<(?:\\w+:)?${root}[\\s>]`).test(xml)) throw s3Error('MalformedXML');
  return xml;
}
