// Test apps with the life a test file needs: started as its tests ask, or one before each test, or one for the whole
// file; closed after them together with every receiver started meanwhile (the receivers first).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { closeAllReceivers } from './receiver.js';
import { appsOfTest, startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** Starts an app with any options; each test's apps close after it (several on one database: the later ones first). */
export function appsClosedAfterEach(): (options?: TestAppOptions) => Promise<TestApp> {
  const apps = appsOfTest();
  afterEach(async () => {
    await closeAllReceivers();
    await apps.closeAll();
  });
  return apps.start;
}

/** A fresh app before each test, handed to `use` (the file keeps it as its `t`), closed after the test. */
export function appForEachTest(use: (app: TestApp) => void, options?: TestAppOptions): void {
  const start = appsClosedAfterEach();
  beforeEach(async () => use(await start(options)));
}

/** One app for every test of the file, handed to `use` before the first, closed after the last. */
export function appForFile(use: (app: TestApp) => void, options?: TestAppOptions): void {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(options);
    use(app);
  });
  afterAll(async () => {
    await closeAllReceivers();
    await app?.close();
  });
}
