import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The tracer of this project's own spans; @apollo/gateway adds request, plan and fetch spans. */
export const tracer = trace.getTracer('affordance-gateway');

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
  const env = options.env ?? process.env;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!options.exporter && !endpoint) return async () => {};
  tracing = true;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return () => {
    tracing = false;
    return provider.shutdown();
  };
}

/** Whether setupTracing turned tracing on: without it every span is a no-op, and inSpan skips making one. */
let tracing = false;
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

/** The trace context a caller sent (traceparent), to parent this process's server span. */
export function extractContext(carrier: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), carrier, headerGetter);
}

/** Writes the current trace context into outgoing headers or gRPC metadata. */
export function injectContext<T>(carrier: T, setter: TextMapSetter<T>): void {
  propagation.inject(context.active(), carrier, setter);
}

/**
 * Runs `fn` inside a new span (a child of `parent`, by default the active context),
 * recording a thrown error, and ends the span when `fn` settles.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  fn: (span: Span) => Promise<T>,
  parent?: Context,
): Promise<T> {
  // Three spans a request, each a few closures and a context switch of the no-op API: skipped when off.
  if (!tracing) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, { kind }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
