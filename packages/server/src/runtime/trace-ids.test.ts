import { describe, expect, it } from 'vitest';
import { eventTraceIds } from './trace-ids.js';

describe('eventTraceIds', () => {
  it('gives the same ids for the same event, other ids in another workspace or for another event', () => {
    const ids = eventTraceIds('ws_1', 'evt_1');
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(eventTraceIds('ws_1', 'evt_1')).toEqual(ids);
    expect(eventTraceIds('ws_2', 'evt_1').traceId).not.toBe(ids.traceId);
    expect(eventTraceIds('ws_1', 'evt_2').traceId).not.toBe(ids.traceId);
    // The separator keeps ("ws_1e", "vt") and ("ws_1", "evt") apart.
    expect(eventTraceIds('ws_1e', 'vt_1').traceId).not.toBe(ids.traceId);
  });
});
