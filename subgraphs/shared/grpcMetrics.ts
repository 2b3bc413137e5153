import { Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../src/platform/metrics.js';

/** gRPC call latency by method and status code, for the client or the server side. */
export function grpcDurationHistogram(name: string, registry: Registry): Histogram<'method' | 'status'> {
  return new Histogram({
    name,
    help: 'gRPC call latency by method and status code',
    labelNames: ['method', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}
