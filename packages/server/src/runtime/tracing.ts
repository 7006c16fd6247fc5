// Traces on or off: with HOOKD_OTEL_ENDPOINT unset nothing of OpenTelemetry is loaded (otel-sdk.ts is imported only
// here, dynamically), and the hot paths keep the one `counters?.` check they had for /metrics.
import type { Logger } from 'pino';
import type { Config } from '../config/settings.js';
import type { OperationCounters } from '../services/operation-counters.js';
import type { Tracing } from './otel-sdk.js';

let sdkLoaded = false;

/** Whether this process has loaded the OpenTelemetry SDK (for the test that traces off load nothing). */
export function otelSdkLoaded(): boolean {
  return sdkLoaded;
}

export async function startTracingIfSet(
  config: Pick<Config, 'otelEndpoint' | 'otelServiceName' | 'otelSampleRatio'>,
  options: { logger: Logger; version: string },
): Promise<Tracing | undefined> {
  if (config.otelEndpoint === undefined) return undefined;
  const { startTracing } = await import('./otel-sdk.js');
  sdkLoaded = true;
  const { otelEndpoint: endpoint, otelSampleRatio: sampleRatio } = config;
  options.logger.info({ endpoint, sampleRatio }, 'traces on: spans sent to the OTLP endpoint');
  return startTracing({ endpoint, serviceName: config.otelServiceName, sampleRatio, ...options });
}

/** One set of counters telling both /metrics and traces, or whichever of them is on. */
export function bothCounters(
  metrics: OperationCounters | undefined,
  traces: OperationCounters | undefined,
): OperationCounters | undefined {
  if (!metrics || !traces) return metrics ?? traces;
  return {
    ...metrics,
    eventPublished(event) {
      metrics.eventPublished(event);
      traces.eventPublished(event);
    },
    attemptRecorded(claim, record) {
      metrics.attemptRecorded(claim, record);
      traces.attemptRecorded(claim, record);
    },
  };
}
