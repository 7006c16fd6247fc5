// The OpenTelemetry SDK, set up only when HOOKD_OTEL_ENDPOINT is set (tracing.ts imports this module dynamically, so
// with traces off not one of its packages is loaded). Spans are queued in memory and sent in batches, as OTLP/HTTP
// JSON, by a timer: a collector that is down or slow costs dropped spans, never a slower delivery or a growing heap.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  RandomIdGenerator,
  type IdGenerator,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { OperationCounters } from '../services/operation-counters.js';
import { spanCounters, type PresetIds } from './otel-spans.js';

export interface TracingOptions {
  /** The collector's base URL; spans go to `${endpoint}/v1/traces`. */
  endpoint: string;
  serviceName: string;
  /** The share of events traced (otel-spans.ts decides from the trace id). */
  sampleRatio: number;
  version: string;
  logger: Logger;
}

export interface Tracing {
  counters: OperationCounters;
  /** Sends what is queued (waiting at most `SHUTDOWN_FLUSH_MS`) and stops. */
  shutdown(): Promise<void>;
}

// The queue holds at most 2,048 spans (the SDK's default; about 2 MB): past that new spans are dropped, not kept.
// A batch leaves every second or at 512 spans, one request at a time, given 5 s (the default 10 s would let a slow
// collector hold a batch twice as long while the queue fills). A stop waits 3 s at most for the last batches.
const QUEUE_SPANS = 2_048;
const BATCH_SPANS = 512;
const BATCH_DELAY_MS = 1_000;
const EXPORT_TIMEOUT_MS = 5_000;
const SHUTDOWN_FLUSH_MS = 3_000;
// A collector that stays down is said once a minute, with what was lost since, not once a batch.
const FAILURE_REPORT_INTERVAL_MS = 60_000;

/** Hands out the preset ids of an event's publish span (see otel-spans.ts), random ones otherwise. */
class EventIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  constructor(private readonly preset: PresetIds) {}
  generateTraceId(): string {
    return this.preset.next?.traceId ?? this.random.generateTraceId();
  }
  generateSpanId(): string {
    return this.preset.next?.spanId ?? this.random.generateSpanId();
  }
}

/** The exporter, with failures logged (the SDK would only tell its own diagnostics logger, silent by default). */
function reportingExporter(inner: SpanExporter, logger: Logger, endpoint: string): SpanExporter {
  let lastReport = -Infinity;
  let failedSpans = 0;
  const report = (result: ExportResult, spans: number) => {
    failedSpans += spans;
    const now = Date.now();
    if (now - lastReport < FAILURE_REPORT_INTERVAL_MS) return;
    lastReport = now;
    logger.warn(
      { err: result.error, endpoint, lostSpans: failedSpans },
      'sending traces to the OTLP endpoint failed; their spans are dropped (deliveries go on)',
    );
    failedSpans = 0;
  };
  return {
    export(spans, done) {
      inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) report(result, spans.length);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

/**
 * service.name and service.version, an instance id per process, host and runtime, and OTEL_RESOURCE_ATTRIBUTES.
 * Not the SDK's process detector: it reports the command line, which may hold a --bootstrap-key.
 */
function serviceResource(options: TracingOptions) {
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector, hostDetector] }))
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        [ATTR_SERVICE_VERSION]: options.version,
        'service.instance.id': randomUUID(),
        'process.pid': process.pid,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': process.versions.node,
      }),
    );
}

export function startTracing(options: TracingOptions): Tracing {
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint}/v1/traces`,
    timeoutMillis: EXPORT_TIMEOUT_MS,
    // The processor sends one batch at a time, but at shutdown all that is queued at once: up to 4 batches.
    concurrencyLimit: QUEUE_SPANS / BATCH_SPANS,
  });
  const processor = new BatchSpanProcessor(reportingExporter(exporter, options.logger, options.endpoint), {
    maxQueueSize: QUEUE_SPANS,
    maxExportBatchSize: BATCH_SPANS,
    scheduledDelayMillis: BATCH_DELAY_MS,
    exportTimeoutMillis: EXPORT_TIMEOUT_MS,
  });
  const preset: PresetIds = { next: undefined };
  const provider = new BasicTracerProvider({
    resource: serviceResource(options),
    idGenerator: new EventIdGenerator(preset),
    // Every span the counters start, whatever OTEL_TRACES_SAMPLER says: the SDK's samplers decide an attempt by its
    // parent's flags, which an attempt in another process does not have (its parent is derived, see otel-spans.ts),
    // so a sampled-out publish would leave its attempts as orphans. --otel-sample-ratio is applied in otel-spans.ts,
    // from the event's trace id, before any span is made.
    sampler: new AlwaysOnSampler(),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('hookd', options.version);
  return {
    counters: spanCounters(tracer, preset, options.sampleRatio),
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
      });
      await Promise.race([provider.shutdown().catch(() => {}), deadline]);
      clearTimeout(timer);
    },
  };
}
