/**
 * Opens the embedded SQLite database that the components share and brings each
 * component's schema up to date. Every component owns its own list of migrations (the CA
 * its tables, ACME its tables, watch its tables) under a name, and the `schema_versions`
 * table records how far each list has been applied, so one file serves them all and a
 * component added later migrates without touching the others.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { WiretightError } from '../../errors.ts';

/** One step of a component's schema: applied once, in order, inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export interface OpenOptions {
  /** How long a writer waits for another process's lock before failing, in ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:'.
 * WAL mode and `synchronous=NORMAL`: a committed write survives a process crash, and
 * readers never block the writer.
 */
export function openDatabase(path: string, options: OpenOptions = {}): DatabaseSync {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    return db;
  } catch (cause) {
    throw storeError(path, 'open', cause);
  }
}

/**
 * Applies the migrations of `component` that the database has not seen yet. Versions must
 * increase; a database that is ahead of the code (a newer wiretight wrote it) is refused
 * rather than used with a schema this code does not know.
 */
export function migrate(
  db: DatabaseSync,
  component: string,
  migrations: readonly Migration[],
  path = 'database',
): void {
  const row = db
    .prepare('SELECT version FROM schema_versions WHERE component = ?')
    .get(component) as { version: number } | undefined;
  const current = row?.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new WiretightError(
      'WT_ERR_STORE_FAILED',
      `${path}: the ${component} schema is at version ${current}, newer than this wiretight knows (${latest})`,
    );
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    transaction(db, () => {
      db.exec(step.sql);
      db.prepare(
        'INSERT INTO schema_versions (component, version) VALUES (?, ?) ' +
          'ON CONFLICT (component) DO UPDATE SET version = excluded.version',
      ).run(component, step.version);
    });
  }
}

/** Runs `fn` in one IMMEDIATE transaction: all of it is written, or none of it. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** Wraps a SQLite failure in the store's typed error, naming the file and the operation. */
export function storeError(path: string, operation: string, cause: unknown): WiretightError {
  if (cause instanceof WiretightError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WiretightError('WT_ERR_STORE_FAILED', `${path}: ${operation} failed: ${detail}`, {
    cause,
  });
}
