// The Store contract on PostgreSQL, each test on a database of its own made for it on the test server.
import { describe } from 'vitest';
import { createTestDatabase, selectedEngines } from '../../../test/support/test-database.js';
import { openPostgresStore } from '../postgres/postgres-store.js';
import { runRetentionConformance } from './retention-conformance.js';
import { runStoreConformance } from './store-conformance.js';

// Left out only when HOOKD_TEST_ENGINE=sqlite says so; otherwise a PostgreSQL that is down fails these tests.
describe.runIf(selectedEngines().includes('postgres'))('on the test server', () => {
  const openFresh = async () => {
    const database = await createTestDatabase();
    const store = openPostgresStore({ url: database.url, maxConnections: 4 });
    await store.migrate();
    return {
      store,
      dispose: async () => {
        await store.close();
        await database.drop();
      },
    };
  };
  runStoreConformance('PostgreSQL', openFresh);
  runRetentionConformance('PostgreSQL', openFresh);
});
