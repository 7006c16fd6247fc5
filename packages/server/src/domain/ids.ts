// Prefixed, time-sortable ids (ULID layout): sorting by id sorts by creation, which is what cursor pagination walks.
import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'ws' | 'key' | 'wh' | 'msg' | 'dlv' | 'att';

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

function encodeRandom(length: number): string {
  if (poolUsed + length > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  let out = '';
  for (let i = poolUsed; i < poolUsed + length; i++) out += CROCKFORD[pool[i]! % 32];
  poolUsed += length;
  return out;
}

export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  return `${prefix}_${encodeTime(nowMs)}${encodeRandom(16)}`;
}

const ID_SHAPE = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` looks like an id we issued with this prefix; cursors are ids, so this also validates them. */
export function isIdOf(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_SHAPE.test(value);
}
