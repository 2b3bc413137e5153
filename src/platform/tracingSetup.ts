/**
 * The OpenTelemetry SDK: a tracer provider exporting over OTLP, and W3C propagation. Its
 * own module, loaded only when tracing is on (runComponent), as it is several MB of code
 * and heap that a gateway without a collector never uses.
 */
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { recordSpans, tracingEndpoint } from './tracing.js';

export interface TracingOptions {
  /** service.name of this process's spans. */
  serviceName: string;
  /** Export here instead of OTLP (tests use an in-memory exporter). */
  exporter?: SpanExporter;
  env?: NodeJS.ProcessEnv;
}

/**
 * Turns tracing on when an exporter is given or OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; otherwise does nothing, so spans cost
 * nothing. Registers W3C trace-context propagation. Returns the shutdown function.
 */
export function setupTracing(options: TracingOptions): () => Promise<void> {
  if (!options.exporter && !tracingEndpoint(options.env ?? process.env)) return async () => {};
  recordSpans(true);
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return () => {
    recordSpans(false);
    return provider.shutdown();
  };
}
