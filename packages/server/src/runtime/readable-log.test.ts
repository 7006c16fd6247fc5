import { describe, expect, it } from 'vitest';
import { readableLine } from './readable-log.js';

describe('readableLine', () => {
  it('writes time, level, message and the fields a reader needs, leaving out pid, hostname and service', () => {
    const json = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 4, 6, 12, 0, 1, 123),
      pid: 4242,
      hostname: 'box',
      service: 'hookd',
      webhookId: 'wh_1',
      error: 'the receiver answered 503',
      responseStatus: 503,
      msg: 'delivery failed: no retries left',
    });
    expect(readableLine(json)).toBe(
      '12:00:01.123 WARN  delivery failed: no retries left webhookId=wh_1 error="the receiver answered 503" responseStatus=503\n',
    );
  });

  it('puts an error stack under its line and passes a line that is not JSON as it is', () => {
    const line = readableLine(JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { stack: 'Error: x\n  at y' } }));
    expect(line).toBe('00:00:00.000 ERROR boom\n    Error: x\n      at y\n');
    expect(readableLine('plain text')).toBe('plain text\n');
  });
});
