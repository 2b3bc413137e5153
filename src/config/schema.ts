import { z } from 'zod';
import { isBadPort } from './badPorts.js';
import { SUBGRAPH_NAME, subgraphNameProblem } from './subgraphName.js';
import { authSchema } from './authSchema.js';
import { headersSchema } from './headerRulesSchema.js';
import { subgraphResourcesSchema } from './subgraphResourcesSchema.js';

/**
 * The gateway configuration: one typed object, every default documented here and in
 * the README's config reference. Validation errors name the key path (see load.ts).
 */

/** A backend's name: the rule of subgraph names (a DNS label). */
const name = z.string().regex(SUBGRAPH_NAME, 'must be lower case letters, digits and dashes, starting with a letter');

const subgraphName = z.string().superRefine((value, ctx) => {
  const problem = subgraphNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .superRefine((value, ctx) => {
    const port = URL.parse(value)?.port ?? '';
    if (isBadPort(port)) {
      ctx.addIssue({
        code: 'custom',
        message: `port ${port} is one that fetch refuses to connect to (a WHATWG "bad port", e.g. 6000, 6665-6669); serve the subgraph on another port`,
      });
    }
  });

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:50051');

const millis = (def: number) => z.number().int().min(0).max(3_600_000).default(def);

/** A size limit in bytes, at least 1 KiB. */
const byteLimit = (max: number, def: number) => z.number().int().min(1024).max(max).default(def);

/** An object of `kind`: "name" (in the first watched namespace) or "namespace/name". */
const objectRef = (kind: string) =>
  z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{0,62}\/)?[a-z0-9][a-z0-9.-]{0,252}$/, `must be a ${kind} name or namespace/name`);

/** What the Kubernetes source watches for one subgraph or backend: at least one Deployment or StatefulSet. */
export const kubernetesTarget = z
  .strictObject({
    /** Deployments that must all have at least `minAvailable` available replicas. Default: none. */
    deployments: z.array(objectRef('Deployment')).default([]),
    /** StatefulSets (a database, say) that must all have at least `minAvailable` available replicas. Default: none. */
    statefulSets: z.array(objectRef('StatefulSet')).default([]),
    /** Available replicas each Deployment and StatefulSet needs. Default 1. */
    minAvailable: z.number().int().min(1).default(1),
    /** Service whose EndpointSlices must have a ready endpoint (when `endpointSlices` is on). Default: none. */
    service: objectRef('Service').optional(),
  })
  .refine((target) => target.deployments.length + target.statefulSets.length > 0, {
    message: 'names no workload; list at least one Deployment in deployments or StatefulSet in statefulSets',
  });

/** A backend a subgraph depends on, e.g. the invoices gRPC service. */
export const backendSchema = z.strictObject({
  /** gRPC address probed by the probe source with the standard grpc.health.v1 Health/Check. */
  grpc: hostPort.optional(),
  /** Service name sent in the gRPC health check; "" asks for the server as a whole. */
  healthService: z.string().default(''),
  /** Deployments the Kubernetes source watches for this backend. */
  kubernetes: kubernetesTarget.optional(),
});

const subgraphSchema = z.strictObject({
  /** The subgraph's GraphQL endpoint; also where its SDL (`_service { sdl }`) is read. */
  url: httpUrl,
  /** Backends (keys of `backends`) that must all be up for this subgraph to be composed. */
  dependsOn: z.array(name).default([]),
  /** Probe the subgraph's own endpoint with `{ __typename }` (probe source only). Default true. */
  probe: z.boolean().default(true),
  /** Deployments the Kubernetes source watches for this subgraph itself. */
  kubernetes: kubernetesTarget.optional(),
  /**
   * What of this subgraph's own GraphQL errors reaches clients: `redact` replaces each
   * with the gateway's message naming the subgraph and keeps only a safe code (see the
   * README); `passthrough` keeps its messages and extensions, without stack traces.
   * `server.debug` shows everything. Default redact.
   */
  errors: z.enum(['redact', 'passthrough']).default('redact'),
});

const kubernetesSchema = z.strictObject({
  /** Namespaces to watch. Default: the pod's own namespace in a cluster, else "default". */
  namespaces: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a namespace name'))
    .min(1)
    .optional(),
  /** Label selector for the watched Deployments, StatefulSets and Subgraph resources. Default: none. */
  labelSelector: z.string().optional(),
  /** kubeconfig context to use outside a cluster (e.g. "minikube"). Default: the current context. */
  context: z.string().optional(),
  /** Also require a ready endpoint in the subgraph's Service (EndpointSlices). Default false. */
  endpointSlices: z.boolean().default(false),
  /**
   * Add subgraphs from Subgraph resources (affordance-gateway.io/v1alpha1) in the watched
   * namespaces, and write their status; see subgraphResourcesSchema.ts. Default false.
   */
  subgraphResources: subgraphResourcesSchema,
  /** Restart a watch that has been silent this long. Default 300000 (5 min). */
  watchdogMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  /** First delay before restarting a failed watch; doubles (with jitter) up to maxBackoffMs. Default 500. */
  initialBackoffMs: z.number().int().min(10).max(600_000).default(500),
  /** Longest delay between watch restarts. Default 30000. */
  maxBackoffMs: z.number().int().min(10).max(3_600_000).default(30_000),
});

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        /** Interface the gateway listens on. Default 127.0.0.1 (0.0.0.0 in a container). */
        host: z.string().min(1).default('127.0.0.1'),
        /** Port of the GraphQL endpoint. Default 4000. */
        port: z.number().int().min(0).max(65535).default(4000),
        /**
         * Port of the admin listener (/healthz, /readyz, /metrics), apart from client
         * traffic so floods cannot starve probes and scrapes; /metrics then leaves the
         * public port. 0 picks a free port. Default: none (all on `port`).
         */
        adminPort: z.number().int().min(0).max(65535).optional(),
        /** Client connections to the public port (the admin port has its own small budget). */
        connections: z
          .strictObject({
            /** Open connections at once; more are closed as they arrive. Default 10000. */
            max: z.number().int().min(1).max(1_000_000).default(10_000),
            /** Open connections from one client address; more are closed as they arrive. Default 256. */
            perClient: z.number().int().min(1).max(1_000_000).default(256),
            /** Time a client has to send the request headers (slowloris, idle new connections). Default 10000. */
            headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
            /** Time a client has to send the whole request, body included. Default 30000. */
            requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
            /** Time an idle keep-alive connection is kept open after a response. Default 5000. */
            keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
          })
          .refine((c) => c.headersTimeoutMs <= c.requestTimeoutMs, {
            message: 'headersTimeoutMs must not be longer than requestTimeoutMs',
            path: ['headersTimeoutMs'],
          })
          .prefault({}),
        /** Browser pages on other origins allowed to call /graphql and the change stream. */
        cors: z
          .strictObject({
            /** Origins allowed, exactly as browsers send them (`https://app.example.com`). Default: none. */
            origins: z
              .array(
                z
                  .url({ protocol: /^https?$/, error: 'must be an origin such as https://app.example.com' })
                  .refine((origin) => URL.parse(origin)?.origin === origin, {
                    message: 'must be an origin only: scheme, host and port, no path or trailing slash',
                  }),
              )
              .default([]),
          })
          .prefault({}),
        /** Largest accepted request body in bytes. Default 1 MiB. */
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .default(1024 * 1024),
        /** The affordances change stream (Server-Sent Events at /affordances/stream). */
        streams: z
          .strictObject({
            /** Concurrent streams allowed; more get 503 with Retry-After. Default 100. */
            max: z.number().int().min(0).max(100_000).default(100),
            /** Concurrent streams from one client address; more get 503 with Retry-After. Default 10. */
            perClient: z.number().int().min(1).max(100_000).default(10),
            /** Time between heartbeat comments on an idle stream. Default 15000. */
            heartbeatMs: z.number().int().min(100).max(600_000).default(15_000),
          })
          .prefault({}),
        /** Stack traces, internal hostnames and raw upstream errors in responses. Default false. */
        debug: z.boolean().default(false),
        /** Answer introspection queries (clients need them to adapt). Default true. */
        introspection: z.boolean().default(true),
        /** Serve the web console at /console. Default true. */
        console: z.boolean().default(true),
        /**
         * Answer plain queries without Apollo Server's request pipeline (same answers; see
         * README, Performance). Default true; false sends every request through Apollo Server.
         */
        fastPath: z.boolean().default(true),
        /** Bounds on the `operation` label of the GraphQL request metrics. */
        metrics: z
          .strictObject({
            /** Operation names with their own series; later ones count as `other`. Default 100. */
            maxOperations: z.number().int().min(0).max(10_000).default(100),
            /** Longest operation name with its own series; longer ones count as `other`. Default 64. */
            maxOperationNameLength: z.number().int().min(1).max(1024).default(64),
          })
          .prefault({}),
        /** Time allowed on SIGTERM to finish in-flight requests before exiting. Default 20000. */
        shutdownGraceMs: z.number().int().min(0).max(600_000).default(20_000),
        /**
         * Gateway processes sharing the public port (node:cluster), each with its own serving
         * state; see README, Performance, for when it pays. Default 1 (one process).
         */
        workers: z.number().int().min(1).max(64).default(1),
      })
      .refine((s) => s.workers === 1 || s.adminPort !== undefined, {
        message:
          'server.workers above 1 needs server.adminPort: the workers share the public port, and the admin port ' +
          "(health, readiness, every worker's metrics) is served by the process that starts them",
        path: ['workers'],
      })
      .prefault({}),
    limits: z
      .strictObject({
        /** Per-client request rate; `false` turns it off. Default 50 per second, bursts of 100. */
        rateLimit: z
          .union([
            z.literal(false),
            z.strictObject({
              /** Sustained requests per second per client. Default 50. */
              perSecond: z.number().min(0.001).max(1_000_000).default(50),
              /** Requests a client may make at once above the rate. Default 100. */
              burst: z.number().int().min(1).max(10_000_000).default(100),
              /** Header that identifies a client (e.g. x-api-key); default: the remote address. */
              clientHeader: z.string().toLowerCase().optional(),
              /**
               * Share the budget across replicas through Redis; each replica limits on its
               * own while Redis cannot answer (see the README). Default: none (per replica).
               */
              redis: z
                .strictObject({
                  /**
                   * `redis://[:password@]host:port[/db]` or `rediss://` (TLS). A password belongs in a
                   * Secret, set as AG__LIMITS__RATELIMIT__REDIS__URL, not in a ConfigMap.
                   */
                  url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
                  /** Time a Redis call may take before the replica decides alone. Default 100. */
                  timeoutMs: z.number().int().min(1).max(10_000).default(100),
                  /** Prefix of the keys, so that several gateways can share one Redis. Default "affordance-gateway:rate-limit". */
                  keyPrefix: z.string().min(1).max(200).default('affordance-gateway:rate-limit'),
                })
                .optional(),
            }),
          ])
          .default({ perSecond: 50, burst: 100 }),
        /** Deepest selection nesting. Default 12. */
        maxDepth: z.number().int().min(1).max(1000).default(12),
        /** Most aliases in one operation. Default 30. */
        maxAliases: z.number().int().min(0).max(100_000).default(30),
        /** Highest estimated cost (graphql-armor's cost model). Default 5000. */
        maxCost: z.number().int().min(1).max(10_000_000).default(5000),
        /** Most tokens in one document. Default 2000. */
        maxTokens: z.number().int().min(10).max(10_000_000).default(2000),
      })
      .prefault({}),
    subgraphRequests: z
      .strictObject({
        /** Time a subgraph fetch may take before it fails as BACKEND_UNAVAILABLE. Default 5000. */
        timeoutMs: z.number().int().min(10).max(600_000).default(5000),
        /** Keep-alive connections per subgraph. Default 64. */
        connections: z.number().int().min(1).max(10_000).default(64),
        /** Largest subgraph response read; a larger one is cut off and fails as BACKEND_UNAVAILABLE. Default 16 MiB. */
        maxResponseBytes: byteLimit(1024 * 1024 * 1024, 16 * 1024 * 1024),
        /**
         * Identical query fetches in flight at the same moment share one fetch (same
         * subgraph, operation, variables and headers; never a fetch of a mutation). Default true.
         */
        shareInflight: z.boolean().default(true),
        circuitBreaker: z
          .union([
            z.literal(false),
            z.strictObject({
              /** Share of failed fetches in the window that opens the circuit. Default 50. */
              errorPercentage: z.number().min(1).max(100).default(50),
              /** Fetches needed in the window before the circuit may open. Default 5. */
              minimumRequests: z.number().int().min(1).max(100_000).default(5),
              /** Rolling window the share is computed over. Default 10000. */
              windowMs: z.number().int().min(100).max(3_600_000).default(10_000),
              /** Time an open circuit waits before a trial probe (half-open). Default 5000. */
              resetMs: z.number().int().min(10).max(3_600_000).default(5000),
            }),
          ])
          .default({ errorPercentage: 50, minimumRequests: 5, windowMs: 10_000, resetMs: 5000 }),
      })
      .prefault({}),
    availability: z
      .strictObject({
        /** Which availability sources run; a subgraph is up only when all agree. Default ["probe"]. */
        sources: z
          .array(z.enum(['probe', 'kubernetes']))
          .min(1)
          .default(['probe']),
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
        kubernetes: kubernetesSchema.prefault({}),
      })
      .prefault({}),
    composition: z
      .strictObject({
        /** Time allowed to read a subgraph's SDL. Default 2000. */
        sdlTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
        /** Largest SDL answer read; a larger one is cut off and the read fails. Default 4 MiB. */
        maxSdlBytes: byteLimit(256 * 1024 * 1024, 4 * 1024 * 1024),
        /** First retry delay after a failed SDL read; doubles up to 10 s. Default 250. */
        sdlRetryMs: z.number().int().min(10).max(60_000).default(250),
        /**
         * Mean time between two re-reads of an available subgraph's SDL, so a new version
         * deployed without an outage is composed; each wait is spread over [½, 1½] of it.
         * A Kubernetes rollout triggers a read at once. Default 10000.
         */
        sdlRefreshMs: z.number().int().min(100).max(3_600_000).default(10_000),
        /**
         * Supergraphs whose SDL has at least this many characters get their query planner
         * on planner threads (a build does not block the event loop); shorter ones on the
         * event loop, which saves the threads' memory (about 25 MB each). 0: always on
         * threads. Default 20000 (about ten subgraphs, with this gateway's own; such a build holds the event loop for 10-30 ms).
         */
        plannerThreadsFromChars: z.number().int().min(0).max(1_000_000_000).default(20_000),
      })
      .prefault({}),
    /**
     * The gateway's in-memory record of subgraph transitions (`affordances { history }`);
     * only the gateway's own state changes add to it, bounded by both limits.
     */
    history: z
      .strictObject({
        /** Entries kept; older ones are dropped first. Default 1000. */
        maxEntries: z.number().int().min(1).max(100_000).default(1000),
        /** Age after which an entry is dropped. Default 86400000 (24 h). */
        maxAgeMs: z
          .number()
          .int()
          .min(1000)
          .max(30 * 86_400_000)
          .default(86_400_000),
      })
      .prefault({}),
    /** Client headers sent on to subgraphs (none by default; see headerRulesSchema.ts). */
    headers: headersSchema,
    /** JWT authentication and the schema's @authenticated/@requiresScopes; off unless set. */
    auth: authSchema,
    backends: z.record(name, backendSchema).default({}),
    subgraphs: z.record(subgraphName, subgraphSchema).default({}),
  })
  .superRefine((config, ctx) => {
    if (!config.auth) {
      const sets = [['all', config.headers.all], ...Object.entries(config.headers.subgraphs)] as const;
      for (const [scope, rules] of sets) {
        rules.request.forEach((rule, i) => {
          if ('insert' in rule && 'fromClaim' in rule.insert) {
            ctx.addIssue({
              code: 'custom',
              path: ['headers', ...(scope === 'all' ? ['all'] : ['subgraphs', scope]), 'request', i, 'insert'],
              message: 'fromClaim needs verified tokens; configure auth.jwt or remove the rule',
            });
          }
        });
      }
    }
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
    if (config.availability.sources.includes('kubernetes')) {
      for (const [subgraph, def] of Object.entries(config.subgraphs)) {
        const watched = def.kubernetes || def.dependsOn.some((b) => config.backends[b]?.kubernetes);
        if (!watched) {
          ctx.addIssue({
            code: 'custom',
            path: ['subgraphs', subgraph, 'kubernetes'],
            message:
              'the kubernetes source is on but nothing tells it which Deployments this subgraph needs; add kubernetes.deployments (or kubernetes.statefulSets)',
          });
        }
      }
    }
  });

/** Configuration as written (before defaults). */
export type GatewayConfigInput = z.input<typeof configSchema>;
/** Configuration with every default filled in. */
export type GatewayConfig = z.output<typeof configSchema>;
export type SubgraphConfig = GatewayConfig['subgraphs'][string];
export type BackendConfig = GatewayConfig['backends'][string];
export type KubernetesTargetConfig = NonNullable<SubgraphConfig['kubernetes']>;
export type KubernetesConfig = GatewayConfig['availability']['kubernetes'];
