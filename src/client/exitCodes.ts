/**
 * Exit codes of `affordance-gateway client`; scripts branch on them, so they are part of
 * its interface (documented in the README and in `client --help`).
 */
export const ExitCode = {
  /** It worked. */
  OK: 0,
  /** The operation ran and failed: the response has GraphQL errors, or is not a GraphQL response. */
  FAILED: 1,
  /** The command line is wrong: unknown option, unknown operation, missing or malformed argument. */
  USAGE: 2,
  /** The operation is unavailable now (its subgraph is down); it was not sent. */
  UNAVAILABLE: 3,
  /** The gateway could not be reached, or did not answer in time. */
  UNREACHABLE: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the operation failed (GraphQL errors in the response)
  2  usage: unknown option or operation, missing or malformed argument
  3  the operation is unavailable now (not sent), or the gateway refused it as unavailable
  4  the gateway is unreachable or did not answer in time`;
