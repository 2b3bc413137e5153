import Negotiator from 'negotiator';

/** The media types Apollo Server answers a single result in, in its order of preference. */
const SINGLE_RESULT_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/** Distinct `accept` values remembered; clients send few, and past the bound each is negotiated anew. */
const REMEMBERED = 64;

/**
 * The content type Apollo Server gives a single result for a request's `accept` header:
 * `application/json` without one, else the type the header prefers (negotiated with the
 * same library and the same list as Apollo Server), or null when it accepts none of them
 * (Apollo Server answers 406).
 */
export function responseMediaType(): (accept: string | undefined) => string | null {
  const known = new Map<string, string | null>();
  return (accept) => {
    if (!accept) return SINGLE_RESULT_TYPES[0]!;
    const cached = known.get(accept);
    if (cached !== undefined) return cached;
    const chosen = new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? null;
    if (known.size < REMEMBERED) known.set(accept, chosen);
    return chosen;
  };
}
