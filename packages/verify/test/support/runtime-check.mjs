// Run by Bun and by Deno (see runtimes.test.ts): the built @hookd/verify, imported as those runtimes import it,
// checks the Standard Webhooks vector, signs and verifies with every scheme, and refuses tampering and a replay.
// Prints one JSON line of what it found; the test judges it.
import { MemoryReplayStore, sign, verify, WebhookVerificationError } from '../../dist/index.js';
import { STANDARD_VECTOR as vector } from './standard-vector.ts';

const reasonOf = (run) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : `threw ${error}`;
  }
};

const vectorHeaders = {
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
};
const atVector = { now: () => vector.timestamp * 1000 };
const body = '{"id":"evt_1","type":"design.exported","data":{"name":"héllo ✓"}}';
const timestamp = Math.floor(Date.now() / 1000);
const schemes = {};
for (const scheme of ['standard', 'timestamp-nonce', 'body']) {
  const secret = scheme === 'standard' ? vector.secret : 'a-shared-secret';
  const headers = sign({ scheme, secrets: [secret], body, id: 'evt_1', timestamp });
  schemes[scheme] = {
    signed: verify(new TextEncoder().encode(body), new Headers(headers), secret, { scheme }),
    tampered: reasonOf(() => verify(body.replace('héllo', 'hello'), headers, secret, { scheme })),
  };
}
const replayStore = new MemoryReplayStore();
const once = sign({ scheme: 'standard', secrets: [vector.secret], body, id: 'evt_2', timestamp });
verify(body, once, vector.secret, { replayStore });

console.log(
  JSON.stringify({
    vector: verify(vector.body, vectorHeaders, vector.secret, atVector),
    wrongSignature: reasonOf(() =>
      verify(
        vector.body,
        { ...vectorHeaders, 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=' },
        vector.secret,
        atVector,
      ),
    ),
    stale: reasonOf(() => verify(vector.body, vectorHeaders, vector.secret)),
    missing: reasonOf(() => verify(vector.body, { 'webhook-id': vector.id }, vector.secret, atVector)),
    replayed: reasonOf(() => verify(body, once, vector.secret, { replayStore })),
    schemes,
  }),
);
