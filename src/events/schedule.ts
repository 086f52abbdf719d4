// Schedule expressions of scheduled rules: `rate(value unit)` and AWS's six-field
// `cron(minutes hours day-of-month month day-of-week year)`, in UTC. Parsed once into a schedule
// that answers the first tick after a given instant.
import { invalidSchedule } from './errors.js';

export interface Schedule {
  /** The first tick strictly after `afterMs` (epoch ms), or undefined when there is none (a past year). */
  nextTick(afterMs: number, anchorMs: number): number | undefined;
}

const MINUTE = 60_000;
const UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

/** Parses a ScheduleExpression; throws AWS's ValidationException when it is not valid. */
export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) return rateSchedule(Number(rate[1]), rate[2]);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronSchedule(cron[1]);
  throw invalidSchedule();
}

function rateSchedule(value: number, unit: string): Schedule {
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  // AWS: a value of 1 takes the singular unit, larger values the plural.
  if (value < 1 || (value === 1) !== (unit === singular)) throw invalidSchedule();
  const period = value * UNITS[singular];
  return {
    nextTick: (afterMs, anchorMs) => anchorMs + (Math.floor((afterMs - anchorMs) / period) + 1) * period,
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec { min: number; max: number; names?: string[] }
const FIELDS: FieldSpec[] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 1, max: 7, names: DAYS }, { min: 1970, max: 2199 },
];

/** A set of allowed values of one field (undefined: any). */
type ValueSet = Set<number> | undefined;

/** A day-of-month or day-of-week field: plain values, or AWS's L, W and # forms. */
type DayTest = (year: number, month: number, day: number) => boolean;

function parseNumber(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + spec.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw invalidSchedule();
  return n;
}

function parseValues(text: string, spec: FieldSpec): ValueSet {
  if (text === '*') return undefined;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    if (part.split('/').length > 2) throw invalidSchedule();
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalidSchedule();
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [parseNumber(a, spec), parseNumber(b, spec)];
    } else {
      from = parseNumber(range, spec);
      to = stepText === undefined ? from : spec.max;
    }
    if (from > to) throw invalidSchedule();
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekday = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

function dayOfMonthTest(text: string): DayTest {
  if (text === 'L') return (y, m, d) => d === daysIn(y, m);
  if (text === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d{1,2})W$/.exec(text);
  if (w) {
    const target = parseNumber(w[1], FIELDS[2]);
    return (y, m, d) => d === nearestWeekday(y, m, Math.min(target, daysIn(y, m)));
  }
  const values = parseValues(text, FIELDS[2]);
  return (_y, _m, d) => values === undefined || values.has(d);
}

/** The weekday nearest to `day` within its month (AWS's W). */
function nearestWeekday(year: number, month: number, day: number): number {
  const wd = weekday(year, month, day);
  if (wd === 7) return day === 1 ? day + 2 : day - 1;
  if (wd === 1) return day === daysIn(year, month) ? day - 2 : day + 1;
  return day;
}

function dayOfWeekTest(text: string): DayTest {
  if (text === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^(\w+)L$/.exec(text);
  if (last) {
    const wd = parseNumber(last[1], FIELDS[4]);
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m);
  }
  const nth = /^(\w+)#([1-5])$/.exec(text);
  if (nth) {
    const wd = parseNumber(nth[1], FIELDS[4]);
    const n = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === n;
  }
  const values = parseValues(text, FIELDS[4]);
  return (y, m, d) => values === undefined || values.has(weekday(y, m, d));
}

function cronSchedule(body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw invalidSchedule();
  const [minText, hourText, domText, monthText, dowText, yearText] = fields;
  // One of day-of-month and day-of-week is `?`, never both.
  if ((domText === '?') === (dowText === '?')) throw invalidSchedule();
  const minutes = parseValues(minText, FIELDS[0]);
  const hours = parseValues(hourText, FIELDS[1]);
  const months = parseValues(monthText, FIELDS[3]);
  const years = parseValues(yearText, FIELDS[5]);
  const dayTest = domText === '?' ? dayOfWeekTest(dowText) : dayOfMonthTest(domText);
  const allows = (set: ValueSet, v: number) => set === undefined || set.has(v);
  return {
    nextTick(afterMs) {
      let t = new Date(Math.floor(afterMs / MINUTE) * MINUTE + MINUTE);
      for (let guard = 0; guard < 500_000; guard++) {
        const [y, mo, d, h, mi] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes()];
        if (y > 2199) return undefined;
        if (!allows(years, y)) t = new Date(Date.UTC(y + 1, 0, 1));
        else if (!allows(months, mo)) t = new Date(Date.UTC(y, mo, 1));
        else if (!dayTest(y, mo, d)) t = new Date(Date.UTC(y, mo - 1, d + 1));
        else if (!allows(hours, h)) t = new Date(Date.UTC(y, mo - 1, d, h + 1));
        else if (!allows(minutes, mi)) t = new Date(t.getTime() + MINUTE);
        else return t.getTime();
      }
      return undefined;
    },
  };
}

/** The latest tick at or before `nowMs` and after `lastTickMs` (a missed tick fires once, never a backlog). */
export function latestDueTick(schedule: Schedule, lastTickMs: number, anchorMs: number, nowMs: number): number | undefined {
  let due: number | undefined;
  let next = schedule.nextTick(lastTickMs, anchorMs);
  for (let guard = 0; next !== undefined && next <= nowMs && guard < 100_000; guard++) {
    due = next;
    next = schedule.nextTick(next, anchorMs);
  }
  return due;
}
