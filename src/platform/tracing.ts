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

/**
 * Spans and trace-context propagation through the OpenTelemetry API alone; the SDK that
 * records and exports them is in tracingSetup.ts, loaded only when tracing is on.
 */

/** The tracer of this project's own spans; @apollo/gateway adds request, plan and fetch spans. */
export const tracer = trace.getTracer('affordance-gateway');

/** Where spans go when tracing is on (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT); undefined when off. */
export function tracingEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
}

/** Whether spans are recorded (see setupTracing): without it every span is a no-op, and inSpan skips making one. */
let tracing = false;
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Told by setupTracing when it turns tracing on or off. */
export function recordSpans(on: boolean): void {
  tracing = on;
}

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
