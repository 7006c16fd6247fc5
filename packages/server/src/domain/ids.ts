// Prefixed, time-sortable ids (ULID layout): sorting by id sorts by creation, which is what cursor pagination walks.
import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'ws' | 'key' | 'wh' | 'msg' | 'dlv' | 'att' | 'ses';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

// Random bytes drawn 4 KiB at a time: a publish makes an id per delivery, and one system call per id showed in the
// profile. Ids are not secrets; they only must not collide.
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

/** `length` random bytes from the pool, as the offset of the first in it. */
function takeRandom(length: number): number {
  if (poolUsed + length > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  poolUsed += length;
  return poolUsed - length;
}

function encodeRandom(length: number): string {
  const start = takeRandom(length);
  let out = '';
  for (let i = start; i < start + length; i++) out += CROCKFORD[pool[i]! % 32];
  return out;
}

export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  return `${prefix}_${encodeTime(nowMs)}${encodeRandom(16)}`;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * An event id: a UUID, as the envelope promises, of version 7 (RFC 9562): 48 bits of unix milliseconds, then 74
 * random bits. Time-ordered, so each new event's key lands at the end of the events' unique index: with random
 * (version 4) ids every publish dirtied its own page of that index, two thirds of all the pages a commit wrote.
 */
export function newEventId(nowMs: number = Date.now()): string {
  const start = takeRandom(10);
  const bytes = [
    Math.floor(nowMs / 2 ** 40) & 0xff,
    Math.floor(nowMs / 2 ** 32) & 0xff,
    (nowMs >>> 24) & 0xff,
    (nowMs >>> 16) & 0xff,
    (nowMs >>> 8) & 0xff,
    nowMs & 0xff,
    0x70 | (pool[start]! & 0x0f),
    pool[start + 1]!,
    0x80 | (pool[start + 2]! & 0x3f),
    ...pool.subarray(start + 3, start + 10),
  ];
  const hex = bytes.map((byte) => HEX[byte]!).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ID_SHAPE = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id we issued with this prefix; cursors are ids, so this also validates them. */
export function isIdOf(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_SHAPE.test(value);
}
