import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CfError, errorMessage } from '../errors.js';
import { SCHEMA_DIR } from '../paths.js';

type SqlValue = string | number | bigint | Buffer | null;
type RowValue = SqlValue | boolean | undefined | object;

/** Statements after this marker in a schema file run once the bulk load is done. */
const AFTER_LOAD_MARKER = /^--\s*@after-load\s*$/m;

/**
 * The SQLite case database: one schema (src/case-db/schema/*.sql, applied in name order),
 * loaded in bulk by the ingesters, then indexed and handed read-only to the rules.
 */
export class CaseDb {
  readonly sql: Database.Database;
  private readonly afterLoad: string[] = [];
  private readonly inserts = new Map<string, Database.Statement>();

  private constructor(readonly path: string) {
    try {
      this.sql = new Database(path);
    } catch (error) {
      throw new CfError('CASE_DB', `cannot create case database ${path}: ${errorMessage(error)}`, { cause: error });
    }
    // A throwaway analysis copy: durability is not worth the fsyncs (the bundle is the evidence).
    this.sql.pragma('page_size = 65536');
    this.sql.pragma('journal_mode = MEMORY');
    this.sql.pragma('synchronous = OFF');
    this.sql.pragma('foreign_keys = OFF');
  }

  /** Creates a fresh case database at `path` (an existing file is replaced) or in memory. */
  static create(path: string | ':memory:' = ':memory:'): CaseDb {
    if (path !== ':memory:') rmSync(path, { force: true });
    const db = new CaseDb(path);
    db.applySchema();
    return db;
  }

  /** Opens an existing case database for queries. */
  static openReadOnly(path: string): Database.Database {
    try {
      return new Database(path, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new CfError('CASE_DB', `cannot open case database ${path}: ${errorMessage(error)}`, { cause: error });
    }
  }

  private applySchema(): void {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      const text = readFileSync(join(SCHEMA_DIR, file), 'utf8');
      const [now, later] = text.split(AFTER_LOAD_MARKER);
      try {
        this.sql.exec(now ?? '');
      } catch (error) {
        throw new CfError('CASE_DB', `schema ${file}: ${errorMessage(error)}`, { cause: error });
      }
      if (later?.trim()) this.afterLoad.push(later);
    }
  }

  /**
   * Inserts one row; column names come from our own code, never from evidence. Booleans become
   * 0/1 and objects JSON, so ingesters can pass parsed values straight through.
   */
  insert(table: string, row: Record<string, RowValue>): number {
    const columns = Object.keys(row);
    const key = `${table}(${columns.join(',')})`;
    let statement = this.inserts.get(key);
    if (!statement) {
      statement = this.sql.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      this.inserts.set(key, statement);
    }
    return Number(statement.run(...columns.map((c) => toSql(row[c]))).lastInsertRowid);
  }

  /** Runs `fn` in one transaction (thousands of inserts per transaction, not one each). */
  transaction<T>(fn: () => T): T {
    return this.sql.transaction(fn)();
  }

  /**
   * A buffered inserter for high-volume tables: rows are queued and written in transactions of
   * `batchSize`. Call `flush()` at the end.
   */
  batch(sql: string, batchSize = 20_000): Batch {
    return new Batch(this.sql, this.sql.prepare(sql), batchSize);
  }

  /** Builds the indexes declared after `-- @after-load` (faster after the bulk load) and ANALYZEs. */
  finishLoad(): void {
    for (const sql of this.afterLoad) this.sql.exec(sql);
    this.afterLoad.length = 0;
    this.sql.exec('analyze');
  }

  close(): void {
    this.sql.close();
  }
}

export class Batch {
  private rows: SqlValue[][] = [];
  private readonly writeAll: (rows: SqlValue[][]) => void;

  constructor(db: Database.Database, statement: Database.Statement, private readonly batchSize: number) {
    this.writeAll = db.transaction((rows: SqlValue[][]) => {
      for (const row of rows) statement.run(row);
    });
  }

  add(row: SqlValue[]): void {
    this.rows.push(row);
    if (this.rows.length >= this.batchSize) this.flush();
  }

  flush(): void {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    this.writeAll(rows);
  }
}

export function toSql(value: RowValue): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}
