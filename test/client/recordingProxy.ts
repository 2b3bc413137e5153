import { startHttpServer, type RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { readBody } from '../../src/platform/http/readBody.js';
import { silentLogger } from '../../src/platform/logger.js';

/**
 * A real HTTP proxy in front of the gateway's /graphql that records every request body,
 * so a test can show what a client sent (and did not send).
 */
export class RecordingProxy {
  readonly bodies: string[] = [];
  private server?: RunningHttpServer;

  constructor(private readonly target: string) {}

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      routes: {
        '/graphql': async (req, res) => {
          const body = await readBody(req, 1024 * 1024);
          this.bodies.push(body);
          const upstream = await fetch(`${this.target}/graphql`, {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            body: req.method === 'POST' ? body : undefined,
          });
          res.statusCode = upstream.status;
          res.setHeader('content-type', upstream.headers.get('content-type') ?? 'application/json');
          res.end(await upstream.text());
        },
      },
    });
    return this;
  }

  /** The GraphQL documents sent, parsed from the recorded bodies. */
  get queries(): string[] {
    return this.bodies.map((body) => (JSON.parse(body) as { query: string }).query);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
