// The bench load generator, run as its own process: publishes events to hookd over keep-alive connections
// (as fast as it takes them, or at a fixed rate), or runs the ceiling loop straight at the receiver.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@hookd/verify';
import { Pool } from 'undici';
import type { LoadCommand, LoadResult } from './protocol.js';

const CEILING_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

async function post(pool: Pool, path: string, headers: Record<string, string>, body: string): Promise<boolean> {
  const response = await pool.request({ method: 'POST', path, headers, body });
  await response.body.dump();
  return response.statusCode >= 200 && response.statusCode < 300;
}

function publishBody(eventType: string, n: number): string {
  return JSON.stringify({ type: eventType, data: { n, sentAt: Date.now(), customer: 'cus_0001', amount: 4200 } });
}

/** The body and signature headers hookd would send, made per request the way hookd makes them per attempt. */
function ceilingRequest(n: number): { headers: Record<string, string>; body: string } {
  const id = randomUUID();
  const timestamp = new Date();
  const body = `{"id":"${id}","type":"bench.ceiling","event":"bench.ceiling","timestamp":"${timestamp.toISOString()}","workspaceId":"ws_bench","webhookId":"wh_bench","data":${JSON.stringify({ n, customer: 'cus_0001', amount: 4200 })}}`;
  const signature = sign({
    scheme: 'standard',
    secrets: [CEILING_SECRET],
    body,
    id,
    timestamp: Math.floor(timestamp.getTime() / 1000),
  });
  return { headers: { 'content-type': 'application/json', 'user-agent': 'bench-ceiling', ...signature }, body };
}

async function runLanes(count: number, lanes: number, send: (n: number) => Promise<boolean>): Promise<LoadResult> {
  const result: LoadResult = { type: 'result', sent: 0, accepted: 0, errors: 0, startedAt: Date.now(), endedAt: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) {
        const n = next++;
        result.sent++;
        try {
          if (await send(n)) result.accepted++;
          else result.errors++;
        } catch {
          result.errors++;
        }
      }
    }),
  );
  result.endedAt = Date.now();
  return result;
}

async function run(command: LoadCommand): Promise<LoadResult> {
  if (command.type === 'ceiling') {
    const url = new URL(command.url);
    const pool = new Pool(url.origin, { connections: command.connections });
    const result = await runLanes(command.count, command.connections, (n) => {
      const { headers, body } = ceilingRequest(n);
      return post(pool, url.pathname, headers, body);
    });
    await pool.close();
    return result;
  }
  const pool = new Pool(command.base, { connections: command.connections });
  const headers = { authorization: `Bearer ${command.key}`, 'content-type': 'application/json' };
  const publish = (n: number) => post(pool, '/api/v1/events', headers, publishBody(command.eventType, n));
  let result: LoadResult;
  if (command.type === 'burst') {
    result = await runLanes(command.count, command.connections, publish);
  } else {
    // Fixed rate: each event leaves at its scheduled time, whether or not earlier ones were answered.
    const total = command.perSecond * command.seconds;
    result = { type: 'result', sent: 0, accepted: 0, errors: 0, startedAt: Date.now(), endedAt: 0 };
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const due = result.startedAt + (n * 1000) / command.perSecond;
      const ahead = due - Date.now();
      if (ahead > 1) await sleep(ahead);
      result.sent++;
      inFlight.push(
        publish(n).then(
          (ok) => void (ok ? result.accepted++ : result.errors++),
          () => void result.errors++,
        ),
      );
    }
    await Promise.all(inFlight);
    result.endedAt = Date.now();
  }
  await pool.close();
  return result;
}

process.on('message', (command: LoadCommand) => {
  run(command).then(
    (result) => process.send!(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.send!({ type: 'ready' });
