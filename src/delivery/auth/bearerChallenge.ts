/** The realm every challenge names. */
export const REALM = 'affordance-gateway';

export interface BearerChallenge {
  /** RFC 6750 §3.1: invalid_token, insufficient_scope; none when the request had no token. */
  readonly error?: 'invalid_token' | 'insufficient_scope';
  readonly description?: string;
  /** The scopes that would do (insufficient_scope). */
  readonly scope?: readonly string[];
}

/** A `WWW-Authenticate` value for the Bearer scheme (RFC 6750 §3), quoted-strings escaped. */
export function bearerChallenge(challenge: BearerChallenge = {}): string {
  const params = [`realm="${REALM}"`];
  if (challenge.error) params.push(`error="${challenge.error}"`);
  if (challenge.description) params.push(`error_description="${quoted(challenge.description)}"`);
  if (challenge.scope?.length) params.push(`scope="${quoted(challenge.scope.join(' '))}"`);
  return `Bearer ${params.join(', ')}`;
}

/** RFC 6750 allows only %x20-21 / %x23-5B / %x5D-7E in these values: quotes and backslashes become ', others ?. */
const quoted = (text: string) => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
