// A real OTLP/HTTP trace collector for the tests: the test kit's receiver (node:http on 127.0.0.1) taking the JSON
// that OTLP exporters POST to /v1/traces, with each span flattened and counted as it arrives, so a test waits on
// spans, not on time.
import { Arrivals } from './arrivals.js';
import { startReceiver, type Receiver, type Reply } from './receiver.js';

export interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
  status: { code?: number; message?: string };
  /** The resource of the batch it came in. */
  resource: Record<string, string | number | boolean>;
}

export interface OtlpListener {
  /** The endpoint to give hookd (HOOKD_OTEL_ENDPOINT): spans come to `${endpoint}/v1/traces`. */
  endpoint: string;
  receiver: Receiver;
  spans: Arrivals<ReceivedSpan>;
  /** Spans named `name`, once `count` of them have come (waiting at most `timeoutMs`). */
  named(name: string, count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };

function flat(attributes: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

/** Nanoseconds (a number or a decimal string) to milliseconds. */
function ms(nanos: number | string): number {
  return Number(BigInt(nanos) / 1_000_000n);
}

function spansOf(body: any): ReceivedSpan[] {
  return (body?.resourceSpans ?? []).flatMap((resourceSpans: any) => {
    const resource = flat(resourceSpans.resource?.attributes);
    return (resourceSpans.scopeSpans ?? []).flatMap((scope: any) =>
      (scope.spans ?? []).map((span: any) => ({
        name: span.name,
        kind: span.kind,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        startMs: ms(span.startTimeUnixNano),
        endMs: ms(span.endTimeUnixNano),
        attributes: flat(span.attributes),
        status: span.status ?? {},
        resource,
      })),
    );
  });
}

/** `reply` answers each export (default 200 with an empty OTLP answer); spans are counted whatever it answers. */
export async function startOtlpListener(reply: Reply = { status: 200, body: '{}' }): Promise<OtlpListener> {
  const spans = new Arrivals<ReceivedSpan>();
  const receiver = await startReceiver({
    then: (request) => {
      if (request.method === 'POST' && request.url === '/v1/traces')
        for (const span of spansOf(request.json)) spans.add(span);
      return reply;
    },
  });
  return {
    endpoint: receiver.origin,
    receiver,
    spans,
    named: async (name, count, timeoutMs = 10_000) => {
      // Wait for enough spans of any name, then for this name's count among them.
      for (let seen = count; ; seen++) {
        await spans.nth(seen, `${count} spans named ${name}`, timeoutMs);
        const found = spans.items.filter((span) => span.name === name);
        if (found.length >= count) return found;
      }
    },
    close: () => receiver.close(),
  };
}
