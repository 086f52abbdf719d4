// How each protocol names a failed signature check. REST-JSON services (Lambda, API Gateway)
// answer 403; JSON 1.1 services (CloudWatch Logs) use the same error types with status 400; the
// query protocol (STS) has error types of its own.
import { awsError, type AwsError, type ErrorCode } from '../core/errors.js';
import type { AuthFailure, AuthFailureKind } from './sigv4-verify.js';

export type AuthErrorStyle = 'rest-json' | 'json-rpc' | 'query';

const JSON_CODES: Record<AuthFailureKind, ErrorCode> = {
  missing: 'MissingAuthenticationTokenException',
  incomplete: 'IncompleteSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  mismatch: 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
};

const CODES: Record<AuthErrorStyle, Record<AuthFailureKind, ErrorCode>> = {
  'rest-json': JSON_CODES,
  'json-rpc': JSON_CODES,
  query: {
    missing: 'MissingAuthenticationToken',
    incomplete: 'IncompleteSignature',
    'unknown-key': 'InvalidClientTokenId',
    mismatch: 'SignatureDoesNotMatch',
    expired: 'SignatureDoesNotMatch',
  },
};

const MISSING_TOKEN_LONG = 'Request is missing Authentication Token';

export function authFailureError(failure: AuthFailure, style: AuthErrorStyle): AwsError {
  const message = failure.kind === 'missing' && style !== 'rest-json' ? MISSING_TOKEN_LONG : failure.message;
  const error = awsError(CODES[style][failure.kind], message);
  return style === 'json-rpc' ? awsError(error.code, message, { status: 400 }) : error;
}
