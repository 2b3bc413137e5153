import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthConfig } from '../../config/authSchema.js';
import { ErrorCode } from '../../platform/errorCodes.js';
import { sendError, type RequestHandler } from '../../platform/http/graphqlHandler.js';
import type { Logger } from '../../platform/logger.js';
import { ANONYMOUS, type Caller, type CallerContext } from '../../serving/access/caller.js';
import { AuthenticationError, jwtAuthenticator, type Authenticator } from './jwtAuthenticator.js';
import { bearerChallenge } from './bearerChallenge.js';

/** How long a client is told to wait when the key set cannot be read. */
const KEYS_RETRY_AFTER_SECONDS = 5;

/**
 * Authentication in front of the GraphQL endpoint and the change stream: `guard` verifies
 * the request's token before anything else reads the request (a token that does not
 * verify gets 401 UNAUTHENTICATED with an RFC 6750 challenge; no token is anonymous),
 * and `contextOf` hands the caller on to the GraphQL context. Per-request state lives in
 * a WeakMap keyed by the request. Off (`auth` not configured): every caller is anonymous
 * and nothing is checked.
 */
export class Authentication {
  private readonly callers = new WeakMap<IncomingMessage, Caller>();
  private readonly authenticator?: Authenticator;

  constructor(
    config: AuthConfig | undefined,
    private readonly logger: Logger,
  ) {
    this.authenticator = config && jwtAuthenticator(config);
  }

  get enabled(): boolean {
    return this.authenticator !== undefined;
  }

  /** The caller of a request `guard` let through; anonymous for any other. */
  callerOf(req: IncomingMessage): Caller {
    return this.callers.get(req) ?? ANONYMOUS;
  }

  /** What the GraphQL context gets of the request. */
  readonly contextOf = (req: IncomingMessage): CallerContext => ({ caller: this.callerOf(req) });

  guard(handler: RequestHandler): RequestHandler {
    const authenticator = this.authenticator;
    if (!authenticator) return handler;
    return async (req, res) => {
      let caller: Caller;
      try {
        caller = await authenticator.authenticate(req.headers);
      } catch (error) {
        return this.refuse(res, error);
      }
      this.callers.set(req, caller);
      return handler(req, res);
    };
  }

  private refuse(res: ServerResponse, error: unknown): void {
    if (error instanceof AuthenticationError) {
      res.setHeader('www-authenticate', bearerChallenge({ error: 'invalid_token', description: error.message }));
      return sendError(res, 401, `${error.message}; send a valid token or none`, ErrorCode.UNAUTHENTICATED);
    }
    this.logger.warn({ err: (error as Error).message }, 'cannot verify a token: the key set is unavailable');
    res.setHeader('retry-after', String(KEYS_RETRY_AFTER_SECONDS));
    return sendError(
      res,
      503,
      `the gateway cannot verify tokens now (its key set is unavailable); retry in ${KEYS_RETRY_AFTER_SECONDS} s`,
      ErrorCode.BACKEND_UNAVAILABLE,
    );
  }
}
