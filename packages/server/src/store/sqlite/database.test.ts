// The SQLite database wrapper's rule for LIMIT parameters: written so that a prepared statement stays compiled.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { limitTo, SqliteDatabase } from './database.js';

let database: SqliteDatabase;
beforeEach(() => {
  database = new SqliteDatabase(':memory:');
  database.db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY); INSERT INTO t (n) VALUES (1), (2), (3), (4), (5)');
});
afterEach(() => database.close());

it('limits rows to the value bound on each run of the same statement', () => {
  const sql = `SELECT n FROM t ORDER BY n ${limitTo('limit')}`;
  expect(database.prepared(sql).all({ limit: 2 })).toEqual([{ n: 1 }, { n: 2 }]);
  expect(database.prepared(sql).all({ limit: 4 })).toHaveLength(4);
  expect(database.prepared(sql)).toBe(database.prepared(sql));
});

it('refuses a LIMIT bound to a bare parameter, which SQLite compiles again on every run', () => {
  for (const sql of [
    'SELECT n FROM t LIMIT @limit',
    'SELECT n FROM t WHERE n IN (SELECT n FROM t LIMIT ?)',
    'SELECT n FROM t LIMIT :n OFFSET 1',
  ]) {
    expect(() => database.prepared(sql), sql).toThrow(/LIMIT bound to a bare parameter/);
  }
  expect(database.prepared('SELECT n FROM t LIMIT 2').all()).toHaveLength(2);
});
