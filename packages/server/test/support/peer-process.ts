// Which local process holds the other end of a TCP connection to this one (Linux /proc), so a receiver can tell
// which of several `hookd worker` processes sent a request.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The socket inode of the client end of `socket` (a server-side socket on 127.0.0.1), from /proc/net/tcp. */
function clientInode(socket: Socket): string | undefined {
  const client = `0100007F:${hexPort(socket.remotePort!)}`;
  const server = `0100007F:${hexPort(socket.localPort!)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === client && fields[2] === server) return fields[9];
  }
  return undefined;
}

/** The pid among `pids` that owns the client end of `socket`, or undefined. */
export function peerPid(socket: Socket, pids: number[]): number | undefined {
  const inode = clientInode(socket);
  if (inode === undefined) return undefined;
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}
