import { z } from 'zod';
import { subgraphNameProblem } from './subgraphName.js';

/**
 * Headers no rule may send to a subgraph: hop-by-hop headers (RFC 9110 §7.6.1), the
 * framing and content negotiation the gateway does itself, and its own request id and
 * trace context. A `named` rule for one of them is a config error; a `matching` rule
 * skips them. Apollo Router reserves the same set.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-type',
  'content-encoding',
  'host',
  'accept',
  'accept-encoding',
  'x-request-id',
  'traceparent',
  'tracestate',
  'baggage',
]);

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header name (RFC 9110 token), lower-cased; reserved names are refused. */
const headerName = z
  .string()
  .regex(token, "must be a header name (letters, digits and !#$%&'*+.^_`|~-)")
  .toLowerCase()
  .refine((name) => !RESERVED_HEADERS.has(name), {
    error: 'is a header the gateway sets itself (hop-by-hop, framing, request id or trace context)',
  });

/** A regular expression on lower-cased header names. */
const namePattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a regular expression' },
);

/** Header value: no CR, LF or NUL (RFC 9110 §5.5). */
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL');

/**
 * One header rule, as Apollo Router writes them. Rules run in order, those of `all` first,
 * then the subgraph's own: each adds to or removes from the headers sent so far.
 */
export const headerRuleSchema = z.union([
  z.strictObject({
    /** Copy a client header: by name (optionally renamed, with a default when absent), or every one matching. */
    propagate: z.union([
      z.strictObject({ named: headerName, rename: headerName.optional(), default: headerValue.optional() }),
      z.strictObject({ matching: namePattern }),
    ]),
  }),
  z.strictObject({
    /** Send a static value, or the value of a claim of the caller's verified token (see auth). */
    insert: z.union([
      z.strictObject({ name: headerName, value: headerValue }),
      z.strictObject({ name: headerName, fromClaim: z.string().min(1) }),
    ]),
  }),
  z.strictObject({
    /** Drop what earlier rules added: by name, or every one matching. */
    remove: z.union([z.strictObject({ named: headerName }), z.strictObject({ matching: namePattern })]),
  }),
]);

const rulesSchema = z.strictObject({ request: z.array(headerRuleSchema).default([]) }).prefault({});

const subgraphKey = z.string().superRefine((value, ctx) => {
  const problem = subgraphNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * Which client headers reach subgraph fetches (never probes or SDL reads): none unless a
 * rule says so. `all` applies to every subgraph, `subgraphs.<name>` after it to one.
 */
export const headersSchema = z
  .strictObject({
    all: rulesSchema,
    subgraphs: z.record(subgraphKey, rulesSchema).default({}),
  })
  .prefault({});

export type HeaderRule = z.output<typeof headerRuleSchema>;
export type HeadersConfig = z.output<typeof headersSchema>;
