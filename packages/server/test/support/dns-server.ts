// A DNS server on 127.0.0.1 (UDP) for tests: answers A and AAAA questions from a function, or never answers.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP } from 'node:net';

/** What the server does with a question about a name. */
export type DnsReply =
  /** The name's addresses (A records for the IPv4 ones, AAAA for the IPv6 ones; none of a type: no data). */
  | { addresses: string[]; ttl?: number }
  | 'nxdomain'
  /** Never answer. */
  | 'hang';

export interface DnsServer {
  /** "127.0.0.1:port", as --dns-server takes it. */
  address: string;
  /** Every question asked, in order: "name A" or "name AAAA". */
  questions: string[];
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;

interface Question {
  name: string;
  type: number;
  /** Where the question section ends in the query. */
  end: number;
}

function parseQuestion(query: Buffer): Question {
  const labels: string[] = [];
  let offset = 12;
  while (query[offset]! > 0) {
    labels.push(query.toString('ascii', offset + 1, offset + 1 + query[offset]!));
    offset += 1 + query[offset]!;
  }
  offset += 1;
  return { name: labels.join('.').toLowerCase(), type: query.readUInt16BE(offset), end: offset + 4 };
}

function addressBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(address.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

/** The answer to `query`: its id and question, a status (0 or 3, NXDOMAIN) and the records. */
function buildAnswer(query: Buffer, question: Question, rcode: number, records: Buffer[], ttl: number): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR (an answer), AA, RD copied from the question, RA; then the status.
  header.writeUInt16BE(0x8000 | 0x0400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((rdata) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    fixed.writeUInt16BE(question.type, 2);
    fixed.writeUInt16BE(1, 4); // class IN
    fixed.writeUInt32BE(ttl, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}

/** `reply` decides per name and record type ("A", "AAAA", or the type's number for others). */
export async function startDnsServer(reply: (name: string, type: string) => DnsReply): Promise<DnsServer> {
  const socket = createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (query: Buffer, peer: RemoteInfo) => {
    const question = parseQuestion(query);
    const type = question.type === TYPE_AAAA ? 'AAAA' : question.type === TYPE_A ? 'A' : String(question.type);
    questions.push(`${question.name} ${type}`);
    const answer = reply(question.name, type);
    if (answer === 'hang') return;
    if (answer === 'nxdomain') {
      socket.send(buildAnswer(query, question, 3, [], 0), peer.port, peer.address);
      return;
    }
    const family = question.type === TYPE_AAAA ? 6 : 4;
    const records = answer.addresses.filter((address) => isIP(address) === family).map(addressBytes);
    socket.send(buildAnswer(query, question, 0, records, answer.ttl ?? 60), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
