// DashboardBody, checked as CloudWatch checks it (the "Dashboard Body Structure and Syntax"
// reference): a JSON object with a `widgets` array of at most 500 widgets, each of a known type,
// placed on a 24-column grid, with the properties its type needs. Problems are reported as
// CloudWatch reports them: a DataPath (a JSON pointer into the body) and a message in the style of
// its schema validator. Properties this does not know are left alone (the console ignores them too).

export interface DashboardValidationMessage {
  DataPath: string;
  Message: string;
}

/** The widget types CloudWatch draws. */
export const WIDGET_TYPES: readonly string[] = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom'];
const MAX_WIDGETS = 500;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The properties each widget type needs (besides being an object). */
const REQUIRED_PROPERTIES: Record<string, readonly { name: string; kind: 'string' | 'array' }[]> = {
  text: [{ name: 'markdown', kind: 'string' }],
  log: [{ name: 'query', kind: 'string' }, { name: 'region', kind: 'string' }],
  alarm: [{ name: 'alarms', kind: 'array' }],
  explorer: [{ name: 'metrics', kind: 'array' }],
  custom: [{ name: 'endpoint', kind: 'string' }],
  metric: [{ name: 'region', kind: 'string' }],
};

/** The body's errors; none when CloudWatch would store it. */
export function dashboardBodyErrors(text: string): DashboardValidationMessage[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }];
  }
  if (!isObject(body)) return [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }];
  if (!('widgets' in body)) return [{ DataPath: '', Message: "Should have required property 'widgets'" }];
  const widgets = body.widgets;
  if (!Array.isArray(widgets)) return [{ DataPath: '/widgets', Message: 'Should be array' }];
  if (widgets.length > MAX_WIDGETS) return [{ DataPath: '/widgets', Message: `Should NOT have more than ${MAX_WIDGETS} items` }];
  return widgets.flatMap((w, i) => widgetErrors(w, `/widgets/${i}`));
}

function widgetErrors(widget: unknown, path: string): DashboardValidationMessage[] {
  if (!isObject(widget)) return [{ DataPath: path, Message: 'Should be object' }];
  const errors: DashboardValidationMessage[] = [];
  for (const name of ['type', 'properties']) {
    if (!(name in widget)) errors.push({ DataPath: path, Message: `Should have required property '${name}'` });
  }
  const type = widget.type;
  if ('type' in widget && (typeof type !== 'string' || !WIDGET_TYPES.includes(type))) {
    errors.push({ DataPath: `${path}/type`, Message: 'Should be equal to one of the allowed values' });
  }
  errors.push(...gridErrors(widget, path));
  if (!('properties' in widget)) return errors;
  const properties = widget.properties;
  if (!isObject(properties)) return [...errors, { DataPath: `${path}/properties`, Message: 'Should be object' }];
  for (const { name, kind } of (typeof type === 'string' && REQUIRED_PROPERTIES[type]) || []) {
    const value = properties[name];
    if (value === undefined) errors.push({ DataPath: `${path}/properties`, Message: `Should have required property '${name}'` });
    else if (kind === 'array' ? !Array.isArray(value) : typeof value !== 'string') {
      errors.push({ DataPath: `${path}/properties/${name}`, Message: `Should be ${kind}` });
    }
  }
  if (type === 'metric') errors.push(...metricErrors(properties, `${path}/properties`));
  return errors;
}

/** x 0-23, y from 0, width 1-24, height 1-1000, all whole numbers and all optional. */
function gridErrors(widget: Json, path: string): DashboardValidationMessage[] {
  const ranges: [string, number, number | undefined][] = [['x', 0, 23], ['y', 0, undefined], ['width', 1, 24], ['height', 1, 1000]];
  const errors: DashboardValidationMessage[] = [];
  for (const [name, min, max] of ranges) {
    const value = widget[name];
    if (value === undefined) continue;
    const at = `${path}/${name}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) errors.push({ DataPath: at, Message: 'Should be integer' });
    else if (value < min) errors.push({ DataPath: at, Message: `Should be >= ${min}` });
    else if (max !== undefined && value > max) errors.push({ DataPath: at, Message: `Should be <= ${max}` });
  }
  return errors;
}

/** A metric widget graphs `metrics` (arrays), shows `annotations`, or both. */
function metricErrors(properties: Json, path: string): DashboardValidationMessage[] {
  const { metrics, annotations } = properties;
  if (metrics === undefined) {
    return annotations === undefined ? [{ DataPath: path, Message: "Should have required property 'metrics'" }] : [];
  }
  if (!Array.isArray(metrics)) return [{ DataPath: `${path}/metrics`, Message: 'Should be array' }];
  return metrics.flatMap((m, i) => (Array.isArray(m) ? [] : [{ DataPath: `${path}/metrics/${i}`, Message: 'Should be array' }]));
}

