// GetRandomPassword: characters drawn with a cryptographic generator from the classes left in,
// with one of each class at least unless RequireEachIncludedType is false.
import { randomInt } from 'node:crypto';
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/secretsmanager.js';
import { invalidParameter } from './errors.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function randomPasswordHandlers(): HandlerTable<Operations> {
  return {
    GetRandomPassword(input) {
      const length = input.PasswordLength ?? 32;
      const excluded = new Set(input.ExcludeCharacters ?? '');
      const classes = [
        input.ExcludeLowercase ? '' : LOWER, input.ExcludeUppercase ? '' : UPPER, input.ExcludeNumbers ? '' : DIGITS,
        input.ExcludePunctuation ? '' : PUNCTUATION, input.IncludeSpace ? ' ' : '',
      ].map((c) => [...c].filter((ch) => !excluded.has(ch)).join('')).filter((c) => c.length > 0);
      if (classes.length === 0) throw invalidParameter('No characters are left to make a password of: every character type is excluded.');
      const required = input.RequireEachIncludedType ?? true;
      if (required && length < classes.length) throw invalidParameter(`The password length must be at least ${classes.length} to include each required character type.`);
      const pool = classes.join('');
      const pick = (from: string) => from[randomInt(from.length)];
      const chars = required ? classes.map(pick) : [];
      while (chars.length < length) chars.push(pick(pool));
      // Shuffle so the required characters are not always first.
      for (let i = chars.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
      }
      return { RandomPassword: chars.join('') };
    },
  };
}
