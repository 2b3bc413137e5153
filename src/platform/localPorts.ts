/**
 * Ports of the local stack that `npm start` runs: the gateway's defaults (config), the
 * stack's defaults and each demo subgraph's default `--port`.
 */
export const LOCAL_PORTS = { gateway: 4000, customers: 4001, invoices: 4002, invoicesService: 50051 } as const;

/** One port per component of the local stack. */
export type LocalPorts = { readonly [K in keyof typeof LOCAL_PORTS]: number };
