import { describe, expect, it } from 'vitest';
import { attemptErrorClass } from './attempt-error-class.js';

describe('attemptErrorClass', () => {
  it.each([
    [200, null, undefined],
    [204, null, undefined],
    [503, 'the receiver answered 503', '503'],
    [302, 'the receiver answered 302', '302'],
    [null, 'timeout: no complete answer within 30000 ms', 'timeout'],
    [null, 'connection refused by 127.0.0.1:9', 'connection_refused'],
    [null, 'connection reset by example.com', 'connection_reset'],
    [null, 'blocked by network policy: 10.0.0.1 is private', 'blocked'],
    [null, 'DNS lookup failed for nowhere.example (ENOTFOUND)', 'dns'],
    [null, 'TLS error: self-signed certificate', 'tls'],
    [null, "not sent: the webhook's secrets cannot be decrypted", 'not_sent'],
    [null, 'EWHATEVER: something at https://secret.example/?token=x', 'other'],
  ])('status %s, error %s: %s', (status, error, expected) => {
    expect(attemptErrorClass(status, error)).toBe(expected);
  });
});
