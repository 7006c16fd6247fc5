// Real HTTP on 127.0.0.1 for the adapter tests: serve a request listener on a free port, POST signed deliveries to it.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, type SignInput } from '../../src/index.js';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const SECRET = 'whsec_' + Buffer.alloc(32, 42).toString('base64');

/** Key order, spacing and non-ASCII that JSON.stringify(JSON.parse(body)) would not reproduce. */
export const ODD_BODY = '{ "type": "order.paid",\n  "id": "evt_raw",  "data": {"z": 1, "a": "ü ✓", "n": 1.50} }';

export interface Answer {
  status: number;
  body: any;
}

/** POSTs `body` with the signature headers of `body` (or of `signedBody`, to send a tampered delivery). */
export async function postSigned(
  url: string,
  body: string,
  options: { signedBody?: string; sign?: Partial<SignInput>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const signed = sign({
    scheme: 'standard',
    secrets: [SECRET],
    body: options.signedBody ?? body,
    id: 'evt_raw',
    timestamp: Math.floor(Date.now() / 1000),
    ...options.sign,
  } as SignInput);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...options.headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

export const tamper = (body: string) => body.replace('"z": 1', '"z": 2');
