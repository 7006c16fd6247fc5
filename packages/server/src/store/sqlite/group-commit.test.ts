// Group commit on a real SQLite file: writes of one turn share a transaction, yet one that fails fails alone.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { UniqueViolation } from '../store.js';
import { SqliteDatabase } from './database.js';
import { GroupCommit } from './group-commit.js';
import { tempDir } from '../../../test/support/temp-dir.js';

let dir: string;
let database: SqliteDatabase;
afterEach(() => {
  database.close();
});

it('commits the good writes of a batch and rejects only the one that broke a constraint', async () => {
  dir = tempDir('hookd-group-');
  database = new SqliteDatabase(join(dir, 'g.db'));
  database.db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
  const group = new GroupCommit(database);
  const insert = (id: string) => group.write(() => database.prepared('INSERT INTO t (id) VALUES (?)').run(id).changes);

  const results = await Promise.allSettled([insert('a'), insert('b'), insert('a'), insert('c')]);

  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
  expect((database.db.prepare('SELECT id FROM t ORDER BY id').all() as { id: string }[]).map((row) => row.id)).toEqual([
    'a',
    'b',
    'c',
  ]);
});

it('applies each good write once when a failing one makes the batch run again', async () => {
  dir = tempDir('hookd-group-');
  database = new SqliteDatabase(join(dir, 'g.db'));
  database.db.exec(
    'CREATE TABLE t (id TEXT PRIMARY KEY); CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)',
  );
  const group = new GroupCommit(database);
  const increment = () => group.write(() => database.prepared('UPDATE counter SET n = n + 1').run().changes);
  const insert = (id: string) => group.write(() => database.prepared('INSERT INTO t (id) VALUES (?)').run(id).changes);

  const results = await Promise.allSettled([increment(), insert('x'), increment(), insert('x'), increment()]);

  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect(database.db.prepare('SELECT n FROM counter').get()).toEqual({ n: 3 });
  expect(database.db.prepare('SELECT count(*) AS c FROM t').get()).toEqual({ c: 1 });
});
