// A migrated store on a PostgreSQL database made for one conformance test, with the layers a test file puts over it.
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Webhook } from '../../domain/webhook.js';
import { openPostgresStore } from '../postgres/postgres-store.js';
import type { Store } from '../store.js';
import type { FreshStore } from './store-conformance.js';

export async function freshPostgresStore(
  layer: (engine: Store) => Store,
  openSecrets?: (webhook: Webhook) => Webhook,
): Promise<FreshStore> {
  const database = await createTestDatabase();
  const store = layer(openPostgresStore({ url: database.url, maxConnections: 4 }));
  await store.migrate();
  return {
    store,
    ...(openSecrets ? { openSecrets } : {}),
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}
