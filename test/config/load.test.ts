import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badPorts } from '../../src/config/badPorts.js';
import { ConfigError, loadConfig, validateConfig } from '../../src/config/load.js';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'ag-config-')), 'gateway.yaml');
  writeFileSync(path, text);
  return path;
};
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  test('without a file: the local stack on loopback, every default filled in', () => {
    const config = loadConfig();
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 4000,
      bodyLimitBytes: 1048576,
      connections: {
        max: 10_000,
        perClient: 256,
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5000,
      },
      cors: { origins: [] },
      streams: { max: 100, perClient: 10, heartbeatMs: 15000 },
      debug: false,
      introspection: true,
      console: true,
      metrics: { maxOperations: 100, maxOperationNameLength: 64 },
      shutdownGraceMs: 20000,
      fastPath: true,
      workers: 1,
    });
    expect(config.limits).toEqual({
      rateLimit: { perSecond: 50, burst: 100 },
      maxDepth: 12,
      maxAliases: 30,
      maxCost: 5000,
      maxTokens: 2000,
    });
    expect(config.subgraphRequests).toEqual({
      timeoutMs: 5000,
      connections: 64,
      maxResponseBytes: 16 * 1024 * 1024,
      shareInflight: true,
      circuitBreaker: { errorPercentage: 50, minimumRequests: 5, windowMs: 10000, resetMs: 5000 },
    });
    expect(config.availability).toMatchObject({
      sources: ['probe'],
      settleMs: 500,
      probe: { intervalMs: 500, timeoutMs: 1000 },
    });
    expect(config.subgraphs.invoices).toEqual({
      url: 'http://127.0.0.1:4002/graphql',
      dependsOn: ['invoices-service'],
      probe: true,
      // The demo subgraphs' messages are written for clients.
      errors: 'passthrough',
    });
    expect(config.backends['invoices-service']).toEqual({
      grpc: '127.0.0.1:50051',
      healthService: 'invoices.v1.InvoiceService',
    });
  });

  test('reads YAML and applies AG__ overrides, matching keys regardless of case and dashes', () => {
    const path = file('server:\n  port: 5000\nsubgraphs:\n  billing:\n    url: http://billing:4000/graphql\n');
    const config = loadConfig({
      file: path,
      env: {
        AG__SERVER__PORT: '5100',
        AG__AVAILABILITY__SETTLEMS: '0',
        AG__AVAILABILITY__SOURCES: '[probe, kubernetes]',
        AG__SUBGRAPHS__BILLING__KUBERNETES__DEPLOYMENTS: '[billing]',
        AG__AVAILABILITY__KUBERNETES__SUBGRAPHRESOURCES__LEASE__DURATIONMS: '20000',
        AG__BACKENDS__LEDGER_SERVICE__GRPC: 'ledger:50051',
        UNRELATED: 'x',
      },
    });
    expect(config.server.port).toBe(5100);
    expect(config.availability.settleMs).toBe(0);
    expect(config.availability.sources).toEqual(['probe', 'kubernetes']);
    expect(config.backends['ledger-service']?.grpc).toBe('ledger:50051');
    expect(config.subgraphs.billing?.url).toBe('http://billing:4000/graphql');
    expect(config.subgraphs.billing?.kubernetes?.deployments).toEqual(['billing']);
    expect(config.availability.kubernetes.subgraphResources).toMatchObject({
      status: true,
      lease: { durationMs: 20_000 },
    });
  });

  test('a bad config names every wrong key and why', () => {
    const message = messageOf(() =>
      validateConfig({
        server: { port: 70000 },
        subgraphs: { Customers: { url: 'ftp://x' }, ok: { url: 'http://x/graphql', bogus: 1 } },
      }),
    );
    expect(message).toMatch(/server\.port: .*65535/);
    expect(message).toMatch(/subgraphs\.Customers: .*lower case/);
    expect(message).toMatch(/subgraphs\.ok: Unrecognized key: "bogus"/);
  });

  test('cross-key problems: unknown backend, reserved name, kubernetes without deployments', () => {
    expect(
      messageOf(() => validateConfig({ subgraphs: { a: { url: 'http://a/graphql', dependsOn: ['nope'] } } })),
    ).toMatch(/subgraphs\.a\.dependsOn\.0: unknown backend "nope"/);
    expect(messageOf(() => validateConfig({ subgraphs: { affordances: { url: 'http://a/graphql' } } }))).toMatch(
      /reserved/,
    );
    expect(
      messageOf(() =>
        validateConfig({ availability: { sources: ['kubernetes'] }, subgraphs: { a: { url: 'http://a/graphql' } } }),
      ),
    ).toMatch(/subgraphs\.a\.kubernetes: .*add kubernetes\.deployments/);
    expect(
      messageOf(() =>
        validateConfig({
          backends: { db: { kubernetes: { service: 'db' } } },
          subgraphs: { a: { url: 'http://a/graphql' } },
        }),
      ),
    ).toMatch(/backends\.db\.kubernetes: names no workload; list at least one Deployment .* or StatefulSet/);
  });

  test('more than one worker needs the admin port, where the primary serves health and the metrics of all', () => {
    expect(() => validateConfig({ server: { workers: 2 } })).toThrow(
      /server\.workers: server\.workers above 1 needs server\.adminPort/,
    );
    expect(validateConfig({ server: { workers: 2, adminPort: 9090 } }).server.workers).toBe(2);
    expect(validateConfig({}).server.workers).toBe(1);
  });

  test('unreadable or malformed files and env values are reported with their origin', () => {
    expect(messageOf(() => loadConfig({ file: '/nonexistent/gateway.yaml' }))).toMatch(
      /cannot read config file \/nonexistent/,
    );
    expect(messageOf(() => loadConfig({ file: file('server: [unclosed') }))).toMatch(/is not valid YAML/);
    expect(messageOf(() => loadConfig({ env: { AG__SERVER__PORT: '"abc"' } }))).toMatch(
      /server\.port: .*expected number/,
    );
  });
});

describe('hostile or mistaken values', () => {
  test('a subgraph URL on a port fetch refuses (a WHATWG bad port) is refused with the reason', () => {
    const message = messageOf(() =>
      validateConfig({ subgraphs: { x: { url: 'http://127.0.0.1:6000/graphql' } }, availability: {} }),
    );
    expect(message).toMatch(/subgraphs\.x\.url: port 6000 is one that fetch refuses to connect to/);
    expect(message).toMatch(/serve the subgraph on another port/);
    expect(() => validateConfig({ subgraphs: { x: { url: 'http://127.0.0.1:6001/graphql' } } })).not.toThrow();
  });

  test('the bad ports are exactly those fetch refuses', async () => {
    const refused = async (port: number) =>
      fetch(`http://127.0.0.1:${port}/`).then(
        () => false,
        (error: Error) => /bad port/i.test(String((error.cause as Error | undefined)?.message ?? error.message)),
      );
    for (const port of badPorts()) expect([port, await refused(port)]).toEqual([port, true]);
  });

  test('CORS origins must be origins; the header timeout must not exceed the request timeout', () => {
    const message = messageOf(() =>
      validateConfig({
        server: {
          cors: { origins: ['https://app.example.com/', 'app.example.com'] },
          connections: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 },
        },
      }),
    );
    expect(message).toMatch(/server\.cors\.origins\.0: must be an origin only/);
    expect(message).toMatch(/server\.cors\.origins\.1: must be an origin such as/);
    expect(message).toMatch(/server\.connections\.headersTimeoutMs: headersTimeoutMs must not be longer/);
  });
});
