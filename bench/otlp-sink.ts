// A local OTLP/HTTP trace sink for measuring hookd with traces on: takes POST /v1/traces (JSON), counts the spans,
// answers 200. Run it beside a bench: `node --import tsx bench/otlp-sink.ts [port]` (default 4318), then
// `npm run bench -- --hookd-args="--otel-endpoint http://127.0.0.1:4318"`; it prints its count every 10 s (when
// it grew) and on exit.
import { createServer } from 'node:http';

/** The part of an OTLP JSON export that holds the spans. */
interface TraceExport {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

const port = Number(process.argv[2] ?? 4318);
let spans = 0;
let requests = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    requests++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TraceExport;
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
    } catch {
      // Not JSON: counted as a request, no spans.
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

let reported = -1;
const report = () => {
  if (spans !== reported) console.log(`otlp-sink: ${spans} spans in ${requests} requests`);
  reported = spans;
};
setInterval(report, 10_000).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    report();
    process.exit(0);
  });
server.listen(port, '127.0.0.1', () => console.log(`otlp-sink: listening on http://127.0.0.1:${port}`));
