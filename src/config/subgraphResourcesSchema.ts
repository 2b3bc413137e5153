import { z } from 'zod';

/**
 * Subgraph resources (`subgraphs.affordance-gateway.io`, k8s/base/subgraph-crd.yaml) as a
 * source of subgraphs, and their status. Off (`false`) unless set; `{}` turns it on with
 * every default. The Lease settings follow client-go's leader election: the leader renews
 * every `retryPeriodMs` and stops writing when it could not renew for `renewDeadlineMs`;
 * another replica takes over once the Lease has not been renewed for `durationMs`, or at
 * once when the leader released it on shutdown.
 */
export const subgraphResourcesSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      /** Write each resource's status and Events (only the replica holding the Lease does). Default true. */
      status: z.boolean().default(true),
      lease: z
        .strictObject({
          /** The coordination.k8s.io Lease the replicas elect the status writer with. Default affordance-gateway-status. */
          name: z
            .string()
            .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name')
            .default('affordance-gateway-status'),
          /** Its namespace. Default: the first watched namespace. */
          namespace: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a namespace name')
            .optional(),
          /**
           * This replica's name in the Lease and its field manager on status writes
           * (`affordance-gateway/<identity>`); unique per replica. Default: the host name
           * (the pod's name) and a random suffix.
           */
          identity: z
            .string()
            .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 printable characters without spaces')
            .optional(),
          /** A Lease not renewed for this long may be taken over. Default 15000. */
          durationMs: z.number().int().min(1000).max(3_600_000).default(15_000),
          /** The leader stops writing when it could not renew for this long. Default 10000. */
          renewDeadlineMs: z.number().int().min(100).max(3_600_000).default(10_000),
          /** Time between two renewals by the leader, and two attempts by the others. Default 2000. */
          retryPeriodMs: z.number().int().min(50).max(600_000).default(2000),
        })
        .refine((lease) => lease.retryPeriodMs < lease.renewDeadlineMs, {
          message: 'retryPeriodMs must be shorter than renewDeadlineMs (the leader renews several times per deadline)',
          path: ['retryPeriodMs'],
        })
        .refine((lease) => lease.renewDeadlineMs < lease.durationMs, {
          message:
            'renewDeadlineMs must be shorter than durationMs (a leader that cannot renew stops before another may take over)',
          path: ['renewDeadlineMs'],
        })
        .prefault({}),
    }),
  ])
  .default(false);

export type SubgraphResourcesConfig = Exclude<z.output<typeof subgraphResourcesSchema>, false>;
export type LeaseConfig = SubgraphResourcesConfig['lease'];
