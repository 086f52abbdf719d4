// The access keys a server accepts when it verifies signatures: `ACCESS_KEY_ID:SECRET` pairs,
// from STAGECRAFT_CREDENTIALS (comma- or newline-separated) or a file (one pair per line, `#`
// comments). Secrets stay out of the command line, where every user of the host could read them.
import { readFileSync } from 'node:fs';

export class CredentialsFormatError extends Error {}

const ACCESS_KEY_ID = /^[A-Za-z0-9]{3,128}$/;

/** Access key id → secret, from the text of a credentials list. */
export function parseCredentials(text: string, source: string): Record<string, string> {
  const table: Record<string, string> = {};
  text.split(/[\n,]/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    const id = colon === -1 ? '' : line.slice(0, colon).trim();
    const secret = colon === -1 ? '' : line.slice(colon + 1).trim();
    if (!ACCESS_KEY_ID.test(id) || secret === '') {
      throw new CredentialsFormatError(`${source}: entry ${i + 1} is not ACCESS_KEY_ID:SECRET_ACCESS_KEY`);
    }
    table[id] = secret;
  });
  return table;
}

export function readCredentialsFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CredentialsFormatError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return parseCredentials(text, path);
}
