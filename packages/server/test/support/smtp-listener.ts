// A real SMTP server for the alert tests (the smtp-server package) on 127.0.0.1: it records each message it accepts,
// or refuses them while told to, and tests wait on messages arriving. Also a "server" that accepts connections and
// never says a word, as an SMTP server that hangs.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Arrivals } from './arrivals.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it came, headers and MIME parts. */
  raw: string;
  subject: string;
  /** Every part's body decoded from quoted-printable, joined: what a reader of the plain text and the HTML sees. */
  decoded: string;
}

export interface SmtpListener {
  port: number;
  /** smtp://127.0.0.1:port, for HOOKD_SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  /** While true, every message is refused with a temporary failure (451), as a server in trouble does. */
  refusing: boolean;
  nth(n: number, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
  } catch {
    return bytes;
  }
}

function parsed(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
  return { ...envelope, raw, subject, decoded: decodeQuotedPrintable(raw) };
}

/**
 * Listens on `port` (default: a free one); accepts any sender and recipient, no TLS needed. With `login`, a client
 * must log in (over plain text: it is 127.0.0.1) with exactly that user and password.
 */
export async function startSmtpListener(port = 0, login?: { user: string; pass: string }): Promise<SmtpListener> {
  const arrivals = new Arrivals<ReceivedMail>();
  const listener = { refusing: false } as SmtpListener;
  const server = new SMTPServer({
    authOptional: login === undefined,
    allowInsecureAuth: true,
    disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.pass) return callback(null, { user: 1 });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (listener.refusing) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((to) => to.address),
        };
        arrivals.add(parsed(Buffer.concat(chunks).toString('utf8'), envelope));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return Object.assign(listener, {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    mails: arrivals.items,
    nth: (n: number, timeoutMs = 10_000) => arrivals.nth(n, `alert email ${n}`, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A TCP server that accepts connections and never answers: an SMTP server that never greets. */
export async function startSilentServer(): Promise<{
  url: string;
  connections: Arrivals<Socket>;
  close(): Promise<void>;
}> {
  const connections = new Arrivals<Socket>();
  const server: Server = createServer((socket) => connections.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const socket of connections.items) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
