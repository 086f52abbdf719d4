// MOCK: no backend. The request template decides the status ({"statusCode": 404} selects the
// integration response whose pattern matches "404"; 200 without one); the integration response
// templates produce the body.
import type { InvocationContext, InvocationResponse } from '../context.js';
import { integrationPayload } from '../integration-request.js';
import { applyIntegrationResponse, selectIntegrationResponse } from '../integration-response.js';

/** The statusCode a MOCK request template produced; API Gateway accepts loose JSON like {statusCode: 200}. */
export function mockStatus(rendered: string): number {
  const text = rendered.trim();
  if (text === '') return 200;
  try {
    const v = JSON.parse(text) as { statusCode?: unknown };
    const n = Number(v?.statusCode);
    if (Number.isInteger(n)) return n;
  } catch {
    const m = /["']?statusCode["']?\s*:\s*["']?(\d{3})/.exec(text);
    if (m) return Number(m[1]);
  }
  return 200;
}

export function invokeMock(ctx: InvocationContext): InvocationResponse {
  const integration = ctx.integration!;
  const { body, templated } = integrationPayload(ctx);
  const status = templated ? mockStatus(body.toString('utf8')) : 200;
  const selected = selectIntegrationResponse(integration.integrationResponses, String(status));
  return applyIntegrationResponse(ctx, selected, { status, headers: {}, body: Buffer.alloc(0) });
}
