// The settings of OpenTelemetry traces (part of SETTINGS): off unless an OTLP endpoint is given.
import type { Config, Setting } from './config.js';
import { fraction, nonEmpty, publicUrl } from './setting-parsers.js';

export const TELEMETRY_SETTINGS = [
  {
    key: 'otelEndpoint',
    flag: 'otel-endpoint',
    env: 'HOOKD_OTEL_ENDPOINT',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: traces off',
    parse: publicUrl,
    description:
      'OTLP/HTTP collector to send traces to, e.g. http://127.0.0.1:4318 (spans go to <endpoint>/v1/traces as JSON; OTEL_EXPORTER_OTLP_HEADERS adds headers): a span per publish and per delivery attempt, in one trace per event',
  },
  {
    key: 'otelServiceName',
    flag: 'otel-service-name',
    env: 'OTEL_SERVICE_NAME',
    kind: 'value',
    defaultValue: 'hookd',
    defaultText: 'hookd',
    parse: nonEmpty,
    description: 'service.name of the traces (OTEL_RESOURCE_ATTRIBUTES adds resource attributes)',
  },
  {
    key: 'otelSampleRatio',
    flag: 'otel-sample-ratio',
    env: 'HOOKD_OTEL_SAMPLE_RATIO',
    kind: 'value',
    defaultValue: 1,
    defaultText: '1: every event',
    parse: fraction,
    description:
      'the share of events traced, from 0 to 1, decided by the event (its publish and all its attempts, in every process, are kept or dropped together)',
  },
] as const satisfies readonly Setting<keyof Config>[];
