import { sendError, type RequestHandler } from '../../platform/http/graphqlHandler.js';
import { consolePage } from './consolePage.js';

/** Serves the web console (one self-contained page) at its route, e.g. `/console`. */
export function consoleHandler(): RequestHandler {
  const page = consolePage();
  const body = Buffer.from(page.html, 'utf8');
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendError(res, 405, `${req.method} is not supported here; open the console with GET`);
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'content-security-policy': page.contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The page is small and changes only with the gateway's version.
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
