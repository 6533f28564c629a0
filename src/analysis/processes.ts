import type Database from 'better-sqlite3';

/** Host reference namespace inodes by type (from ns-reference.tsv). */
export function hostNamespaces(db: Database.Database): Map<string, string> {
  const rows = db.prepare('select ns, inode from proc_ns where reference = 1 and inode is not null').all() as { ns: string; inode: string }[];
  return new Map(rows.map((r) => [r.ns, r.inode]));
}

/** Namespace inodes of every process: pid → ns → inode. */
export function processNamespaces(db: Database.Database): Map<number, Map<string, { inode: string; file_id: number; locator: string }>> {
  const out = new Map<number, Map<string, { inode: string; file_id: number; locator: string }>>();
  for (const r of db.prepare('select pid, ns, inode, file_id, locator from proc_ns where reference = 0 and inode is not null').iterate() as Iterable<{ pid: number; ns: string; inode: string; file_id: number; locator: string }>) {
    let m = out.get(r.pid);
    if (!m) out.set(r.pid, (m = new Map()));
    m.set(r.ns, { inode: r.inode, file_id: r.file_id, locator: r.locator });
  }
  return out;
}

export interface HostProcess {
  pid: number;
  ppid: number | null;
  uid: number | null;
  start_epoch: number | null;
  start_utc: string | null;
  comm: string | null;
  args: string;
  file_id: number;
  locator: string;
}

export function hostProcesses(db: Database.Database): Map<number, HostProcess> {
  const rows = db.prepare('select pid, ppid, uid, start_epoch, start_utc, comm, args, file_id, locator from host_processes').all() as HostProcess[];
  return new Map(rows.map((r) => [r.pid, r]));
}

/** Collection time (meta.env START_UTC) in epoch seconds, if any bundle says. */
export function collectionEpoch(db: Database.Database): number | null {
  const row = db.prepare("select value from bundle_meta where key = 'START_UTC' order by input_id limit 1").get() as { value: string } | undefined;
  const t = row ? Date.parse(row.value) : NaN;
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}
