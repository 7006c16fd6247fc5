// How the conformance test files get a migrated store on an empty database, and give it back.
import { createTestDatabase } from '../../../test/support/test-database.js';
import type { Webhook } from '../../domain/webhook.js';
import { openPostgresStore } from '../postgres/postgres-store.js';
import type { Store } from '../store.js';
import type { FreshStore } from './store-conformance.js';

/** `store`, migrated; disposing of it closes it, then `remove` deletes its database. */
export async function migratedFreshStore(
  store: Store,
  remove: () => Promise<void> | void,
  openSecrets?: (webhook: Webhook) => Webhook,
): Promise<FreshStore> {
  await store.migrate();
  return {
    store,
    ...(openSecrets ? { openSecrets } : {}),
    dispose: async () => {
      await store.close();
      await remove();
    },
  };
}

/** A PostgreSQL database made for one test, with the layers a test file puts over the engine. */
export async function freshPostgresStore(
  layer: (engine: Store) => Store,
  openSecrets?: (webhook: Webhook) => Webhook,
): Promise<FreshStore> {
  const database = await createTestDatabase();
  const store = layer(openPostgresStore({ url: database.url, maxConnections: 4 }));
  return migratedFreshStore(store, () => database.drop(), openSecrets);
}
