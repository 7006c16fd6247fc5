// The Store contract on PostgreSQL, each test on a database of its own made for it on the test server.
import { createTestDatabase, selectedEngines } from '../../../test/support/test-database.js';
import { openPostgresStore } from '../postgres/postgres-store.js';
import { runStoreConformance } from './store-conformance.js';

if (selectedEngines().includes('postgres')) {
  runStoreConformance('PostgreSQL', async () => {
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
  });
}
