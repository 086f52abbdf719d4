// Which Lambda resource-policy statements let API Gateway call a function, and which of one
// alias's grants another alias lacks (what `stagecraft promote` copies). No imports and no I/O:
// the compiled module is also served to the web console, whose promotion preview uses it.

export const API_GATEWAY_PRINCIPAL = 'apigateway.amazonaws.com';

export interface PolicyStatement {
  Sid: string;
  Effect?: string;
  Principal?: string | { Service?: string; AWS?: string };
  Action?: string;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export function sourceArnOf(s: PolicyStatement): string | undefined {
  const like = s.Condition?.ArnLike?.['AWS:SourceArn'] ?? s.Condition?.ArnEquals?.['AWS:SourceArn'];
  return Array.isArray(like) ? like[0] : like;
}

export function isApiGatewayStatement(s: PolicyStatement): boolean {
  const p = s.Principal;
  return s.Effect !== 'Deny' && (p === API_GATEWAY_PRINCIPAL || (typeof p === 'object' && p?.Service === API_GATEWAY_PRINCIPAL));
}

export interface GrantToCopy {
  statementId: string;
  sourceArn?: string;
  action: string;
}

/**
 * The API Gateway grants of `source` (alias --from's statements) that `target` (alias --to's) lacks:
 * the same grant under another statement ID (given by hand, say) is not given twice.
 */
export function grantsToCopy(source: PolicyStatement[], target: PolicyStatement[]): GrantToCopy[] {
  const grants: GrantToCopy[] = [];
  for (const s of source.filter(isApiGatewayStatement)) {
    const sourceArn = sourceArnOf(s);
    const action = s.Action ?? 'lambda:InvokeFunction';
    if (target.some((t) => t.Sid === s.Sid || (isApiGatewayStatement(t) && sourceArnOf(t) === sourceArn && (t.Action ?? 'lambda:InvokeFunction') === action))) continue;
    grants.push({ statementId: s.Sid, sourceArn, action });
  }
  return grants;
}
