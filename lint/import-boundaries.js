// The design's import arrows (DESIGN.md, "A layout that shows it") as lint rules, so that a wrong import fails
// `npm test` instead of waiting for a reviewer: api/cli -> services -> store interface + domain; delivery -> store
// interface + domain; only runtime picks a store engine; domain imports nothing of ours; @hookd/verify and the
// dashboard import nothing of the server.
//
// ESLint's own no-restricted-imports, not a plugin: eslint-plugin-boundaries (7.2.0) and eslint-plugin-import-x
// (4.18.1) do support ESLint 10 and Node 20, but they resolve each import to a file, and our `./x.js` imports of
// `x.ts` sources need eslint-import-resolver-typescript for that: two dependencies, where a pattern on the import
// text is enough because our folder names are the layers. Each file must fall in exactly one block below: in flat
// config a later block's options for a rule replace an earlier block's, they do not add up.

const SERVER = 'packages/server/src';
// fresh-stores.ts is the conformance tests' set-up: it opens each engine for them.
const TESTS = ['**/*.test.ts', '**/store/conformance/fresh-stores.ts'];

/**
 * An import of a top-level server folder, from anywhere inside the server's src (`../x/`, `../../x/`).
 * @param {string} name
 */
const layer = (name) => `^(\\.\\./)+${name}(/|$)`;

/**
 * @param {string} regex
 * @param {string} message
 */
const rule = (regex, message) => ({ regex, message });

const ENGINE_RULE = rule(
  '(^|/)(sqlite|postgres)/',
  'Only runtime/ picks a store engine: depend on the Store interface (store/store.ts) instead.',
);
const DRIVERS = [
  { name: 'pg', message: 'Only store/postgres/ talks to the PostgreSQL driver.' },
  { name: 'better-sqlite3', message: 'Only store/sqlite/ talks to the SQLite driver.' },
];
/**
 * @param {string[]} names
 * @param {string} who
 */
const upward = (names, who) =>
  names.map((name) => rule(layer(name), `${who} must not import ${name}/ (the design's import arrows, DESIGN.md).`));
const SERVER_PACKAGE = rule(
  '^(hookd|@hookd/server)(/|$)|(^|/)server/src(/|$)',
  'This package imports nothing of the server.',
);

/** One block per layer: which files it holds and which imports they may not make. */
const LAYERS = [
  {
    files: [`${SERVER}/domain/**/*.ts`],
    patterns: [
      rule('^\\.\\./', 'domain/ imports nothing of ours: pure rules, no I/O.'),
      rule('^@hookd/|^hookd(/|$)', 'domain/ imports nothing of ours.'),
    ],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/config/**/*.ts`],
    patterns: upward(['api', 'cli', 'services', 'delivery', 'runtime', 'store'], 'config/'),
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/api/**/*.ts`],
    patterns: [ENGINE_RULE, ...upward(['cli', 'runtime', 'delivery'], 'api/')],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/cli/**/*.ts`],
    patterns: [ENGINE_RULE, ...upward(['api', 'delivery'], 'cli/ (it goes through runtime/ and services/)')],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/services/**/*.ts`],
    patterns: [ENGINE_RULE, ...upward(['api', 'cli', 'runtime', 'delivery'], 'services/')],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/delivery/**/*.ts`],
    patterns: [
      ENGINE_RULE,
      ...upward(['api', 'cli', 'runtime'], 'delivery/'),
      // Only the ports this side implements or reports to, declared by the services (delivery-port, operation-counters).
      rule(
        '^(\\.\\./)+services/(?!(delivery-port|operation-counters)\\.js$)',
        "delivery/ must not import services/ (the design's import arrows, DESIGN.md).",
      ),
    ],
    paths: DRIVERS,
  },
  {
    // The auto-disable sweep: the store interface and domain only, as the services.
    files: [`${SERVER}/auto-disable/**/*.ts`],
    patterns: [ENGINE_RULE, ...upward(['api', 'cli', 'runtime', 'services', 'delivery'], 'auto-disable/')],
    paths: DRIVERS,
  },
  {
    // The alert sender reads the outbox through the Store interface and sends through the delivery side's guarded
    // HTTP parts, so an alertUrl meets the same network policy as a webhook.
    files: [`${SERVER}/alerts/**/*.ts`],
    patterns: [
      ENGINE_RULE,
      ...upward(['api', 'cli', 'runtime', 'services'], 'alerts/'),
      rule(
        '^(\\.\\./)+delivery/(?!(exchange|guarded-agent|host-resolver|sender)\\.js$)',
        'alerts/ uses only the HTTP parts of delivery/ (exchange, guarded-agent, host-resolver, sender).',
      ),
    ],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/store/*.ts`, `${SERVER}/store/conformance/**/*.ts`],
    patterns: [ENGINE_RULE, ...upward(['api', 'cli', 'runtime', 'services', 'delivery'], 'store/')],
    paths: DRIVERS,
  },
  {
    files: [`${SERVER}/store/sqlite/**/*.ts`],
    patterns: [
      rule('(^|/)postgres/', 'One engine does not import the other.'),
      ...upward(['api', 'cli', 'runtime', 'services', 'delivery'], 'store/sqlite/'),
    ],
    paths: [DRIVERS[0]],
  },
  {
    files: [`${SERVER}/store/postgres/**/*.ts`],
    patterns: [
      rule('(^|/)sqlite/', 'One engine does not import the other.'),
      ...upward(['api', 'cli', 'runtime', 'services', 'delivery'], 'store/postgres/'),
    ],
    paths: [DRIVERS[1]],
  },
  {
    // @hookd/verify runs in any receiver (Node, Bun, Deno) with no dependencies: nothing of the server or client.
    files: ['packages/verify/**/*.ts'],
    patterns: [SERVER_PACKAGE, rule('^@hookd/client(/|$)', '@hookd/verify imports nothing of the client.')],
    paths: [],
  },
  {
    // The dashboard is a client of the public API, through @hookd/client only.
    files: ['packages/dashboard/**/*.{ts,tsx,js}'],
    patterns: [SERVER_PACKAGE],
    paths: [],
  },
];

export const importBoundaries = LAYERS.map(({ files, patterns, paths }) => ({
  files,
  // Tests may open a real engine or read test support; the arrows are for the code that ships.
  ignores: files[0].startsWith('packages/verify') ? [] : TESTS,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
}));
