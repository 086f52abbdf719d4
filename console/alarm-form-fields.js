// The alarm forms' text fields as CloudWatch members and back, free of the DOM: dimensions
// (`Name=Value, …`, and those AWS/Lambda publishes for a function, alias or version), numbers and
// statistics. Shared by a metric alarm's metric and a metric math alarm's queries.

/** CloudWatch's statistics; anything else typed (p99, tm90…) is sent as ExtendedStatistic for AWS to judge. */
export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/** `FunctionName=f, Resource=f:prod` — the dimensions AWS/Lambda publishes for a function and an optional alias or version. */
export function lambdaDimensions(functionName, qualifier = '') {
  if (!functionName) return '';
  return qualifier ? `FunctionName=${functionName}, Resource=${functionName}:${qualifier}` : `FunctionName=${functionName}`;
}

/** `Name=Value, Name=Value` (commas or new lines between) as CloudWatch dimensions; a pair without `=` has an empty value for AWS to refuse. */
export function parseDimensions(text) {
  return (text ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? { Name: pair, Value: '' } : { Name: pair.slice(0, at).trim(), Value: pair.slice(at + 1).trim() };
  });
}

export const dimensionsText = (dims) => (dims ?? []).map((d) => `${d.Name}=${d.Value}`).join(', ');

/** A number member as its field's text ('' when absent). */
export const numberText = (n) => (n === undefined || n === null ? '' : String(n));

/**
 * A number field as `{ [key]: value }`: a number when it parses, else the text itself so that AWS
 * answers (`Expected a number at 'Threshold'`); left out when empty (AWS: `… is required`, or its default).
 */
export function numberMember(key, text) {
  const s = String(text ?? '').trim();
  if (s === '') return {};
  return { [key]: Number.isFinite(Number(s)) ? Number(s) : s };
}

/** Statistic for CloudWatch's five, ExtendedStatistic for anything else (p99, tm90…); neither when empty. */
export function statisticMember(text) {
  const s = String(text ?? '').trim();
  if (!s) return {};
  return BASIC_STATISTICS.includes(s) ? { Statistic: s } : { ExtendedStatistic: s };
}
