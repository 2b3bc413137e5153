import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthConfig } from '../../config/authSchema.js';
import { ANONYMOUS, type Caller } from '../../serving/access/caller.js';

/** A token that does not verify: 401 UNAUTHENTICATED, with `message` and the RFC 6750 challenge. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** The key set could not be fetched: the gateway cannot tell, so it answers 503 (not the client's fault). */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
}

export interface Authenticator {
  /** The caller a request's headers identify; anonymous without a token. Throws AuthenticationError. */
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Caller>;
}

/**
 * Verifies JSON Web Tokens with jose: signature against the configured key set (a JWKS
 * URL, fetched and cached by jose, fetched again for an unknown key id at most once per
 * cooldown; or a local set), `exp`/`nbf` within the clock tolerance, and `iss`/`aud` when
 * configured. Scopes come from `scopesClaim`, space-separated (RFC 8693 §4.2) or a list.
 */
export function jwtAuthenticator(config: AuthConfig): Authenticator {
  const { jwt } = config;
  const keys = keySet(config);
  const scheme = jwt.scheme.toLowerCase();
  return {
    async authenticate(headers) {
      const raw = headers[jwt.header];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined || value === '') return ANONYMOUS;
      const token = tokenOf(value, scheme);
      if (!token) {
        throw new AuthenticationError(
          `the ${jwt.header} header is not "${jwt.scheme ? `${jwt.scheme} <token>` : '<token>'}"`,
        );
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: jwt.issuer,
          audience: jwt.audience,
          algorithms: jwt.algorithms,
          clockTolerance: jwt.clockToleranceSec,
        }));
      } catch (error) {
        throw translate(error);
      }
      return {
        authenticated: true,
        subject: payload.sub,
        scopes: scopesOf(payload[config.scopesClaim]),
        claims: payload,
      };
    },
  };
}

function keySet(config: AuthConfig): JWTVerifyGetKey {
  const { jwt } = config;
  if (jwt.jwksUrl) {
    return createRemoteJWKSet(new URL(jwt.jwksUrl), {
      cacheMaxAge: jwt.cacheMaxAgeMs,
      cooldownDuration: jwt.cooldownMs,
      timeoutDuration: jwt.timeoutMs,
    });
  }
  const local = jwt.jwks ?? readKeySetFile(jwt.jwksFile!);
  return createLocalJWKSet(local as unknown as JSONWebKeySet);
}

function readKeySetFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`auth.jwt.jwksFile: cannot read a key set from ${file}: ${(error as Error).message}`);
  }
}

function tokenOf(value: string, scheme: string): string | undefined {
  if (!scheme) return value.trim() || undefined;
  const match = /^(\S+) +(\S+)\s*$/.exec(value);
  return match && match[1]!.toLowerCase() === scheme ? match[2] : undefined;
}

function scopesOf(claim: unknown): ReadonlySet<string> {
  if (typeof claim === 'string') return new Set(claim.split(/\s+/).filter(Boolean));
  if (Array.isArray(claim)) return new Set(claim.filter((s): s is string => typeof s === 'string'));
  return new Set();
}

/** jose's errors in words a client can act on; none repeats the token. */
function translate(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new AuthenticationError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(`the token's "${error.claim}" claim is not accepted (${error.reason})`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthenticationError('the token signature does not verify');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthenticationError('no key of the key set matches the token');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new AuthenticationError("the token's algorithm is not accepted");
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new KeySetUnavailableError(`the key set could not be read (${error.message})`);
  }
  // jose's generic error is its key set fetch going wrong (an answer other than 200).
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') {
    return new AuthenticationError('the token is not a valid signed JWT');
  }
  // A fetch of the key set that failed (connection refused, not 200).
  return new KeySetUnavailableError(`the key set could not be read (${(error as Error).message ?? String(error)})`);
}
