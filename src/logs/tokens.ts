// Paging tokens. GetLogEvents tokens look like AWS's (`f/<56 digits>/s`, `b/<56 digits>/s`) and
// carry an event position: its timestamp (20 digits) and id (36 digits). Listing tokens are
// opaque base64url JSON cursors.
import type { EventPosition } from '../store/logs-store.js';
import { invalidNextToken } from './errors.js';

const EVENT_TOKEN = /^([fb])\/(\d{20})(\d{36})\/s$/;

export function eventToken(direction: 'f' | 'b', position: EventPosition): string {
  return `${direction}/${String(position.timestamp).padStart(20, '0')}${String(position.id).padStart(36, '0')}/s`;
}

export function parseEventToken(token: string): { direction: 'f' | 'b'; position: EventPosition } {
  const m = EVENT_TOKEN.exec(token);
  if (!m) throw invalidNextToken();
  return { direction: m[1] as 'f' | 'b', position: { timestamp: Number(m[2]), id: Number(m[3]) } };
}

/** AWS's 56-digit event ids and sequence tokens. */
export const eventId = (id: number): string => String(id).padStart(56, '0');

export function cursorToken(cursor: object): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Decodes a listing token, checking it has the expected members; InvalidParameterException otherwise. */
export function parseCursorToken<T extends object>(token: string, check: (value: Record<string, unknown>) => boolean): T {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through
  }
  throw invalidNextToken();
}
