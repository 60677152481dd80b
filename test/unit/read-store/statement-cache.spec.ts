import Database from 'better-sqlite3';
import { withStatementCache } from '../../../src/read-side/store/read-store';

describe('withStatementCache (SQLite read store)', () => {
  it('prepares each SQL text once, and SQLite re-prepares a cached statement after the schema changed', () => {
    const raw = new Database(':memory:');
    const db = withStatementCache(raw);
    const spy = jest.spyOn(raw, 'prepare');
    db.exec('CREATE TABLE t (a INTEGER)');
    const insert = db.prepare('INSERT INTO t (a) VALUES (?)');
    expect(db.prepare('INSERT INTO t (a) VALUES (?)')).toBe(insert);
    insert.run(1);
    db.exec('ALTER TABLE t ADD COLUMN b TEXT');
    db.prepare('INSERT INTO t (a) VALUES (?)').run(2);
    expect(db.prepare('SELECT * FROM t ORDER BY a').all()).toEqual([
      { a: 1, b: null },
      { a: 2, b: null },
    ]);
    expect(spy).toHaveBeenCalledTimes(2); // the insert and the select
    db.close();
  });

  it('keeps at most 500 statements, dropping the least recently used', () => {
    const raw = new Database(':memory:');
    const db = withStatementCache(raw);
    const first = db.prepare('SELECT 0');
    for (let i = 1; i <= 500; i++) db.prepare(`SELECT ${i}`);
    expect(db.prepare('SELECT 500')).toBe(db.prepare('SELECT 500'));
    expect(db.prepare('SELECT 0')).not.toBe(first); // evicted, prepared anew
    db.close();
  });
});
