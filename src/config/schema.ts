import { z } from 'zod';

/**
 * The gateway configuration: one typed object, every default documented here and in
 * the README's config reference. Validation errors name the key path (see load.ts).
 */

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower case letters, digits and dashes, starting with a letter');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:50051');

const millis = (def: number) => z.number().int().min(0).max(3_600_000).default(def);

/** How the probe source checks a backend a subgraph depends on. */
const backendSchema = z.strictObject({
  /** gRPC address probed with the standard grpc.health.v1 Health/Check. */
  grpc: hostPort,
  /** Service name sent in the health check; "" asks for the server as a whole. */
  service: z.string().default(''),
});

const subgraphSchema = z.strictObject({
  /** The subgraph's GraphQL endpoint; also where its SDL (`_service { sdl }`) is read. */
  url: httpUrl,
  /** Backends (keys of `backends`) that must all be up for this subgraph to be composed. */
  dependsOn: z.array(name).default([]),
  /** Probe the subgraph's own endpoint with `{ __typename }` (probe source only). Default true. */
  probe: z.boolean().default(true),
});

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        /** Interface the gateway listens on. Default 127.0.0.1 (0.0.0.0 in a container). */
        host: z.string().min(1).default('127.0.0.1'),
        /** Port of the GraphQL endpoint. Default 4000. */
        port: z.number().int().min(0).max(65535).default(4000),
        /** Largest accepted request body in bytes. Default 1 MiB. */
        bodyLimitBytes: z.number().int().min(1024).default(1024 * 1024),
      })
      .prefault({}),
    availability: z
      .strictObject({
        /** Which availability sources run. Default ["probe"]. */
        sources: z.array(z.enum(['probe'])).min(1).default(['probe']),
        /** How long a subgraph must stay up before it is composed back in (damps flapping). Default 500. */
        settleMs: millis(500),
        probe: z
          .strictObject({
            /** Time between two probes of one target. Default 500. */
            intervalMs: z.number().int().min(50).max(600_000).default(500),
            /** Time a probe may take before it counts as failed. Default 1000. */
            timeoutMs: z.number().int().min(10).max(60_000).default(1000),
          })
          .prefault({}),
      })
      .prefault({}),
    composition: z
      .strictObject({
        /** Time allowed to read a subgraph's SDL. Default 2000. */
        sdlTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
        /** First retry delay after a failed SDL read; doubles up to 10 s. Default 250. */
        sdlRetryMs: z.number().int().min(10).max(60_000).default(250),
      })
      .prefault({}),
    backends: z.record(name, backendSchema).default({}),
    subgraphs: z.record(name, subgraphSchema).default({}),
  })
  .superRefine((config, ctx) => {
    for (const [subgraph, def] of Object.entries(config.subgraphs)) {
      def.dependsOn.forEach((backend, i) => {
        if (!(backend in config.backends)) {
          ctx.addIssue({
            code: 'custom',
            path: ['subgraphs', subgraph, 'dependsOn', i],
            message: `unknown backend "${backend}"; define it under backends or remove it`,
          });
        }
      });
    }
    if ('affordances' in config.subgraphs) {
      ctx.addIssue({
        code: 'custom',
        path: ['subgraphs', 'affordances'],
        message: 'the name "affordances" is reserved for the gateway\'s own subgraph',
      });
    }
  });

/** Configuration as written (before defaults). */
export type GatewayConfigInput = z.input<typeof configSchema>;
/** Configuration with every default filled in. */
export type GatewayConfig = z.output<typeof configSchema>;
export type SubgraphConfig = GatewayConfig['subgraphs'][string];
export type BackendConfig = GatewayConfig['backends'][string];
