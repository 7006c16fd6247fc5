// "Last used" costs a write a minute per key, not one per request: counted on a real SQLite store.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { ApiKeyUseRecorder } from './api-key-use.js';
import { authenticate, issueApiKey } from './api-keys.js';
import { createWorkspace } from './workspaces.js';
import { tempDir } from '../../test/support/temp-dir.js';

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
});

it("writes a key's use once a minute however many requests it authenticates, and never fails a request for it", async () => {
  dir = tempDir('hookd-key-use-');
  const inner = openSqliteStore(join(dir, 'hookd.db'));
  await inner.migrate();
  const writes: Date[] = [];
  store = { ...inner, recordApiKeyUse: (id, at) => (writes.push(at), inner.recordApiKeyUse(id, at)) };
  let now = new Date('2026-05-06T19:00:00.000Z');
  const deps = { store, clock: () => now };
  const workspace = await createWorkspace(deps, { name: 'w' });
  const { key } = await issueApiKey(deps, { workspaceId: workspace.id });
  const errors: Error[] = [];
  const recorder = new ApiKeyUseRecorder(deps, (error) => errors.push(error));

  const useFor = async (seconds: number) => {
    for (let second = 0; second < seconds; second++) {
      now = new Date(now.getTime() + 1000);
      for (let request = 0; request < 10; request++) recorder.used((await authenticate(deps, key))!);
    }
  };
  await useFor(59); // 590 requests from 19:00:01 to 19:00:59
  expect(writes).toEqual([new Date('2026-05-06T19:00:01.000Z')]);
  await useFor(1); // 19:01:00: 59 s after the write
  expect(writes).toHaveLength(1);
  await useFor(1); // 19:01:01: a minute after it
  expect(writes).toEqual([new Date('2026-05-06T19:00:01.000Z'), new Date('2026-05-06T19:01:01.000Z')]);
  expect((await authenticate(deps, key))!.lastUsedAt).toEqual(new Date('2026-05-06T19:01:01.000Z'));
  expect(errors).toEqual([]);
});
