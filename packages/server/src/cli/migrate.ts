// `hookd migrate`: bring the database schema up to date and exit.
import type { Config } from '../config/settings.js';
import { describeDatabase, migrateStore, openStore } from '../runtime/open-store.js';

export async function migrateCommand(config: Config): Promise<void> {
  const store = await openStore(config.database);
  try {
    const { applied } = await migrateStore(store, config.database);
    for (const name of applied) process.stdout.write(`applied ${name}\n`);
    process.stdout.write(`hookd: database ${describeDatabase(config.database)} is up to date\n`);
  } finally {
    await store.close();
  }
}
