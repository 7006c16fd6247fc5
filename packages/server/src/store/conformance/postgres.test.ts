// The Store contract on PostgreSQL, the engine alone, each test on a database of its own made for it on the test server.
import { describe } from 'vitest';
import { selectedEngines } from '../../../test/support/test-database.js';
import { freshPostgresStore } from './fresh-stores.js';
import { runDashboardStoreConformance } from './dashboard-conformance.js';
import { runRetentionConformance } from './retention-conformance.js';
import { runStoreConformance } from './store-conformance.js';

// Left out only when HOOKD_TEST_ENGINE=sqlite says so; otherwise a PostgreSQL that is down fails these tests.
describe.runIf(selectedEngines().includes('postgres'))('on the test server', () => {
  runStoreConformance('PostgreSQL', () => freshPostgresStore((engine) => engine));
  runDashboardStoreConformance('PostgreSQL', () => freshPostgresStore((engine) => engine));
  runRetentionConformance('PostgreSQL', () => freshPostgresStore((engine) => engine));
});
