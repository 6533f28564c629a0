import type Database from 'better-sqlite3';
import type { FindingRow } from '../engine/rule.js';

/** A row of the container_subjects view (src/case-db/schema/10-containers.sql). */
export interface ContainerSubjectRow {
  id: number;
  file_id: number;
  locator: string;
  runtime: string;
  container_id: string;
  name: string | null;
  image: string | null;
  image_id: string | null;
  state: string | null;
  pid: number | null;
  started_at: string | null;
  privileged: number;
  pid_mode: string | null;
  network_mode: string | null;
  ipc_mode: string | null;
  uts_mode: string | null;
  user: string | null;
  seccomp_profile: string | null;
  entrypoint: string | null;
  command: string | null;
  /** JSON array: docker's HEALTHCHECK command */
  healthcheck: string | null;
  field_locators: string | null;
  subject_kind: string;
  subject_name: string;
  subject_namespace: string | null;
  subject_id: string | null;
  subject_container: string | null;
  subject_image: string | null;
  subject_host: string | null;
}

export type SubjectFields = Pick<FindingRow, 'subject_kind' | 'subject_name' | 'subject_namespace' | 'subject_id' | 'subject_container' | 'subject_image' | 'subject_host'>;

export function subjectOf(row: ContainerSubjectRow): SubjectFields {
  return {
    subject_kind: row.subject_kind,
    subject_name: row.subject_name,
    subject_namespace: row.subject_namespace,
    subject_id: row.subject_id,
    subject_container: row.subject_container,
    subject_image: row.subject_image,
    subject_host: row.subject_host,
  };
}

export function containerSubjects(db: Database.Database): ContainerSubjectRow[] {
  return db.prepare('select * from container_subjects order by id').all() as ContainerSubjectRow[];
}

export function fieldLocator(row: { field_locators: string | null; locator: string }, field: string): string {
  try {
    const map = JSON.parse(row.field_locators ?? '{}') as Record<string, string>;
    return map[field] ?? row.locator;
  } catch {
    return row.locator;
  }
}

/**
 * The subject of an image finding (view image_subjects): the reference as the user wrote it,
 * with the image id as subject_id. Layers whose image is unknown (a loose dive export) are named
 * by their evidence file (`fileId`).
 */
export function imageSubject(db: Database.Database, imageId: string | null, fileId?: number | null): SubjectFields & { file_id: number | null; locator: string | null } {
  const row = imageId ? imageSubjects(db).get(imageId) : undefined;
  const file =
    !row && fileId !== undefined && fileId !== null
      ? (db.prepare('select f.path, i.host from files f join inputs i on i.id = f.input_id where f.id = ?').get(fileId) as { path: string; host: string | null } | undefined)
      : undefined;
  return {
    subject_kind: 'image',
    subject_name: row?.subject_name ?? (imageId ? imageId.replace(/^sha256:/, '').slice(0, 12) : file ? `image analysed in ${file.path}` : 'unknown image'),
    subject_id: imageId,
    subject_host: row?.subject_host ?? file?.host ?? null,
    file_id: row?.file_id ?? null,
    locator: row?.locator ?? null,
  };
}

type ImageSubjectRow = { image_id: string; subject_name: string; subject_host: string | null; file_id: number; locator: string };
const imageSubjectCache = new WeakMap<Database.Database, Map<string, ImageSubjectRow>>();

/** The image_subjects view read once per case database (rules ask for it row after row). */
function imageSubjects(db: Database.Database): Map<string, ImageSubjectRow> {
  let map = imageSubjectCache.get(db);
  if (!map) {
    const rows = db.prepare('select image_id, subject_name, subject_host, file_id, locator from image_subjects').all() as ImageSubjectRow[];
    map = new Map(rows.map((r) => [r.image_id, r]));
    imageSubjectCache.set(db, map);
  }
  return map;
}

/** JSON arrays of a stored command (entrypoint + cmd, Kubernetes command + args) as one command line; null, malformed or non-array parts count as empty. */
export function argvText(...parts: (string | null)[]): string {
  return parts
    .flatMap((part) => {
      try {
        const a = JSON.parse(part ?? 'null') as unknown;
        return Array.isArray(a) ? a.map(String) : [];
      } catch {
        return [];
      }
    })
    .join(' ');
}

/** Whole command of a container as one string (entrypoint + cmd/args). */
export function commandText(row: { entrypoint: string | null; command: string | null }): string {
  return argvText(row.entrypoint, row.command);
}

/** A build step's command for a reason text: without docker's `/bin/sh -c ` prefix, cut at `max`. */
export function stepText(createdBy: string, max: number): string {
  return createdBy.replace(/^\/bin\/sh -c /, '').slice(0, max);
}
