import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

/**
 * The gateway's base URL from `--url` / `AG_GATEWAY_URL`. Accepts the GraphQL endpoint
 * too (`…/graphql`), since that is the URL people copy.
 */
export function gatewayBaseUrl(value: string | undefined): string {
  const text = (value ?? DEFAULT_GATEWAY_URL).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ClientError(
      `"${text}" is not a URL; give the gateway as --url http://HOST:PORT (or set AG_GATEWAY_URL)`,
      ExitCode.USAGE,
      'BAD_USER_INPUT',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError(`"${text}" is not an http:// or https:// URL`, ExitCode.USAGE, 'BAD_USER_INPUT');
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '');
  return `${url.origin}${path}`;
}
