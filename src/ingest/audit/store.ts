import type Database from 'better-sqlite3';
import type { CaseDb } from '../../case-db/case-db.js';
import { FingerprintSet } from './fingerprints.js';
import { notableFlags } from './notable.js';
import { decodeExecUri, OBJECT_RESOURCES, WRITE_VERBS, type AuditFields } from './event.js';

/**
 * Writes audit requests into the case database fast: repeated strings become integer ids held
 * in a Map (and written once to audit_dict), rows go through a multi-row INSERT in large
 * transactions, and per-user/verb counts are kept in memory instead of being grouped later.
 * One store per case database, shared by all audit files of it (ids stay unique).
 */
export class AuditStore {
  /** Every request written so far (auditID + requestReceivedTimestamp), across the audit files. */
  readonly written = new FingerprintSet();
  private readonly dict = new Map<string, number>();
  private nextDictId = 1;
  private nextEventId = 1;
  private readonly newDict: (string | number)[] = [];
  /** Rows in statement-sized chunks (ROWS_PER_STATEMENT rows each, the last one partial). */
  private readonly chunks: (string | number | null)[][] = [];
  private events: (string | number | null)[] = [];
  private eventRows = 0;
  private readonly execRows: (string | number | null)[][] = [];
  private readonly objectRows: (string | number)[][] = [];
  private readonly notableRows: number[] = [];
  private readonly insertEvents: Database.Statement;
  private readonly insertEventsTail: Map<number, Database.Statement> = new Map();
  private readonly writeAll: () => void;
  private static readonly COLUMNS = 19;
  private static readonly ROWS_PER_STATEMENT = 128;
  private static readonly ROWS_PER_TRANSACTION = 4_096;

  private constructor(private readonly db: Database.Database) {
    this.insertEvents = this.eventStatement(AuditStore.ROWS_PER_STATEMENT);
    const insertDict = db.prepare('insert into audit_dict (id, value) values (?, ?)');
    const insertExec = db.prepare('insert into audit_exec (event_id, command, container, tty, stdin, ports) values (?, ?, ?, ?, ?, ?)');
    const insertObject = db.prepare('insert into audit_objects (event_id, object) values (?, ?)');
    const insertNotable = db.prepare('insert into audit_notable (event_id, flags) values (?, ?)');
    this.writeAll = db.transaction(() => {
      for (let i = 0; i < this.newDict.length; i += 2) insertDict.run(this.newDict[i], this.newDict[i + 1]);
      this.newDict.length = 0;
      this.writeEvents();
      for (const row of this.execRows) insertExec.run(row);
      this.execRows.length = 0;
      for (const row of this.objectRows) insertObject.run(row);
      this.objectRows.length = 0;
      for (let i = 0; i < this.notableRows.length; i += 2) insertNotable.run(this.notableRows[i], this.notableRows[i + 1]);
      this.notableRows.length = 0;
    });
  }

  private static readonly stores = new WeakMap<CaseDb, AuditStore>();

  static of(db: CaseDb): AuditStore {
    let store = AuditStore.stores.get(db);
    if (!store) {
      store = new AuditStore(db.sql);
      AuditStore.stores.set(db, store);
    }
    return store;
  }

  private eventStatement(rows: number): Database.Statement {
    const one = `(${new Array(AuditStore.COLUMNS).fill('?').join(',')})`;
    return this.db.prepare(
      `insert into audit_events (id, file_id, line, audit_id, ts, level_stage, verb, username, groups, impersonated, source_ips, user_agent,
         namespace, resource, subresource, api_group, name, code, authz) values ${new Array(rows).fill(one).join(',')}`,
    );
  }

  /** The dictionary id of a string (null stays null). */
  id(value: string | null): number | null {
    if (value === null) return null;
    let id = this.dict.get(value);
    if (id === undefined) {
      id = this.nextDictId++;
      this.dict.set(value, id);
      this.newDict.push(id, value);
    }
    return id;
  }

  /** Writes one request; returns its audit_events id. */
  add(fileId: number, line: number, f: AuditFields, stats: FileStats): number {
    const id = this.nextEventId++;
    const verb = this.id(f.verb);
    const username = this.id(f.username);
    const resource = f.resource;
    this.events.push(
      id,
      fileId,
      line,
      f.auditId,
      f.received,
      f.level * 4 + f.stage,
      verb,
      username,
      this.id(f.groups),
      this.id(f.impersonated),
      this.id(f.sourceIps),
      this.id(f.userAgent),
      this.id(f.namespace),
      this.id(resource),
      this.id(f.subresource),
      this.id(f.apiGroup),
      resource === null ? (f.requestUri !== null ? this.id(pathOf(f.requestUri)) : null) : this.id(f.name),
      f.code,
      f.decision === null && f.reason === null ? null : this.id(`${f.decision ?? ''}\n${f.reason ?? ''}`),
    );
    this.eventRows++;
    if (this.events.length === AuditStore.ROWS_PER_STATEMENT * AuditStore.COLUMNS) {
      this.chunks.push(this.events);
      this.events = [];
    }

    const sub = f.subresource;
    if (sub !== null && (sub === 'exec' || sub === 'attach' || sub === 'portforward' || (sub === 'proxy' && resource === 'nodes'))) {
      const exec = decodeExecUri(f.requestUri);
      this.execRows.push([id, exec.command.length > 0 ? JSON.stringify(exec.command) : null, exec.container, exec.tty ? 1 : 0, exec.stdin ? 1 : 0, exec.ports]);
    }
    if (resource !== null && f.verb !== null && WRITE_VERBS.has(f.verb) && sub === null && OBJECT_RESOURCES.has(resource)) {
      stats.podWrites++;
      if (f.level >= 2 && typeof f.requestObject === 'object' && f.requestObject !== null) {
        stats.podWritesWithObject++;
        this.objectRows.push([id, JSON.stringify(f.requestObject)]);
      } else if (f.requestObjectDropped) stats.podWritesWithObject++; // logged, not needed by any rule
    } else if (resource === 'serviceaccounts' && sub === 'token' && typeof f.requestObject === 'object' && f.requestObject !== null) {
      this.objectRows.push([id, JSON.stringify(f.requestObject)]);
    }

    const flags = notableFlags(f.username, f.groups, f.impersonated, f.verb, resource, sub, f.code);
    if (flags !== 0) this.notableRows.push(id, flags);
    stats.count(username, verb, f.received, id);
    if (this.eventRows >= AuditStore.ROWS_PER_TRANSACTION) this.flush();
    return id;
  }

  private writeEvents(): void {
    for (const chunk of this.chunks) this.insertEvents.run(chunk);
    this.chunks.length = 0;
    const rest = this.events.length / AuditStore.COLUMNS;
    if (rest > 0) {
      let statement = this.insertEventsTail.get(rest);
      if (!statement) {
        statement = this.eventStatement(rest);
        this.insertEventsTail.set(rest, statement);
      }
      statement.run(this.events);
    }
    this.events = [];
    this.eventRows = 0;
  }

  flush(): void {
    if (this.eventRows > 0 || this.newDict.length > 0 || this.execRows.length > 0 || this.objectRows.length > 0 || this.notableRows.length > 0) this.writeAll();
  }

  writeFileStats(fileId: number, stats: FileStats): void {
    this.flush();
    const insert = this.db.prepare(
      'insert into audit_activity (file_id, username, verb, requests, first_ts, last_ts, first_event, last_event) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const [username, verbs] of stats.activity) {
        for (const [verb, a] of verbs) insert.run(fileId, username < 0 ? null : username, verb < 0 ? null : verb, a[0], a[1], a[2], a[3], a[4]);
      }
      this.db
        .prepare(
          `insert into audit_files (file_id, format, lines, events, requests, duplicates, unparsable, level_metadata, level_request,
             level_request_response, pod_writes, pod_writes_with_object, first_ts, last_ts) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          fileId,
          [...stats.formats].sort().join('+') || null,
          stats.lines,
          stats.events,
          stats.requests,
          stats.duplicates,
          stats.unparsable,
          stats.levels[1],
          stats.levels[2],
          stats.levels[3],
          stats.podWrites,
          stats.podWritesWithObject,
          stats.firstTs,
          stats.lastTs,
        );
    })();
  }
}

/** Counters of one audit file. */
export class FileStats {
  lines = 0;
  events = 0;
  requests = 0;
  duplicates = 0;
  unparsable = 0;
  levels = [0, 0, 0, 0];
  podWrites = 0;
  podWritesWithObject = 0;
  firstTs: number | null = null;
  lastTs: number | null = null;
  readonly formats = new Set<string>();
  /** username id → verb id → [requests, first ts, last ts, first event id, last event id]. */
  readonly activity = new Map<number, Map<number, number[]>>();

  count(username: number | null, verb: number | null, ts: number, id: number): void {
    this.requests++;
    if (this.firstTs === null || ts < this.firstTs) this.firstTs = ts;
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    const u = username ?? -1;
    let verbs = this.activity.get(u);
    if (!verbs) this.activity.set(u, (verbs = new Map()));
    const v = verb ?? -1;
    const a = verbs.get(v);
    if (!a) verbs.set(v, [1, ts, ts, id, id]);
    else {
      a[0]!++;
      if (ts < a[1]!) {
        a[1] = ts;
        a[3] = id;
      }
      if (ts >= a[2]!) {
        a[2] = ts;
        a[4] = id;
      }
    }
  }
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  return q === -1 ? uri : uri.slice(0, q);
}
