import type { ExitCode } from './exitCodes.js';

/**
 * A failure the client reports and exits on: the message is for people, `code` (a
 * GraphQL-style `extensions.code`) and `exitCode` for scripts.
 */
export class ClientError extends Error {
  override readonly name = 'ClientError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The error as a GraphQL-style response body, for `--json`. */
  toJson(): { errors: { message: string; extensions: Record<string, unknown> }[] } {
    return { errors: [{ message: this.message, extensions: { code: this.code, ...this.extensions } }] };
  }
}
