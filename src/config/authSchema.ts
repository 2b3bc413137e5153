import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A JSON Web Key Set (RFC 7517 §5): checked by jose when it is loaded. */
const jwksSchema = z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) });

/**
 * Authentication with JSON Web Tokens (off unless `auth` is set). A request without a
 * token is anonymous; one with a token that does not verify gets 401 UNAUTHENTICATED.
 * The key set comes from exactly one of `jwksUrl`, `jwks` or `jwksFile`.
 */
export const authSchema = z
  .strictObject({
    jwt: z
      .strictObject({
        /** Header carrying the token. Default authorization. */
        header: z.string().toLowerCase().default('authorization'),
        /** Scheme before the token in that header; "" when the header holds the token alone. Default Bearer. */
        scheme: z.string().default('Bearer'),
        /** Where the key set is fetched from (cached; fetched again for an unknown key id). */
        jwksUrl: httpUrl.optional(),
        /** A local key set, inline. */
        jwks: jwksSchema.optional(),
        /** A local key set, in a JSON file (read at start). */
        jwksFile: z.string().min(1).optional(),
        /** Accepted `iss`; default: any. */
        issuer: oneOrMany.optional(),
        /** Accepted `aud` (one of); default: any. */
        audience: oneOrMany.optional(),
        /** Accepted signature algorithms; default: those of the keys. */
        algorithms: z.array(z.string().min(1)).min(1).optional(),
        /** Clock skew allowed on exp and nbf, in seconds. Default 30. */
        clockToleranceSec: z.number().int().min(0).max(3600).default(30),
        /** A fetched key set is used this long before it is fetched again. Default 600000 (10 min). */
        cacheMaxAgeMs: z.number().int().min(1000).max(86_400_000).default(600_000),
        /** Least time between two fetches of the key set (for unknown key ids). Default 30000. */
        cooldownMs: z.number().int().min(0).max(3_600_000).default(30_000),
        /** Time allowed for one fetch of the key set. Default 5000. */
        timeoutMs: z.number().int().min(10).max(60_000).default(5000),
      })
      .superRefine((jwt, ctx) => {
        const given = (['jwksUrl', 'jwks', 'jwksFile'] as const).filter((key) => jwt[key] !== undefined);
        if (given.length !== 1) {
          ctx.addIssue({
            code: 'custom',
            message: `exactly one of jwksUrl, jwks and jwksFile must be set (${given.length ? `got ${given.join(', ')}` : 'got none'})`,
          });
        }
      }),
    /** Claim holding the caller's scopes: a space-separated string (OAuth 2.0) or an array. Default scope. */
    scopesClaim: z.string().min(1).default('scope'),
  })
  .optional();

export type AuthConfig = NonNullable<z.output<typeof authSchema>>;
export type JwtConfig = AuthConfig['jwt'];
