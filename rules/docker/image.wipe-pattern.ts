import { imageSubject, stepText } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';

/** Fetch to a file (-O/-o/--output PATH) and the same path removed later in the same step. */
const FETCH_THEN_RM = /\b(?:curl|wget)\b[^;&|]*?(?:-O|-o|--output(?:-document)?)[=\s]*(\/[^\s;&|)]+)[\s\S]*?\brm\s+(?:-[a-zA-Z]+\s+)*[^;&|]*?\1(?:\s|$|;|&|\))/;
/** COPY/ADD … in /dest (docker history text) */
const COPY_DEST = /#\(nop\)\s+(?:COPY|ADD)\s+\S+\s+in\s+(\/\S+)/;
/** Package caches and lists: removed in later layers by countless ordinary Dockerfiles. */
const ORDINARY_CLEANUP = /^\/(?:var\/(?:cache|lib\/apt\/lists|lib\/dpkg|log)|root\/\.cache|usr\/share\/(?:doc|man))\//;

export default defineRule({
  meta: {
    id: 'image.wipe-pattern',
    title: 'Image build creates or downloads a file and deletes it',
    severity: 'SUSPICIOUS',
    group: 'docker',
    attack: ['T1070'],
    description:
      "A build step downloads a file and deletes it in the same step, or a file added by one layer is deleted (whited out) by a later one (docker save archive or dive export). Installers that clean up after themselves do the first; hiding a payload does both — the file ran or was copied somewhere during the build and is absent from the final filesystem, so a scan of the running container misses it. A file whited out in a later layer is still in the lower layer's tar: recover it from the docker save archive. Package caches and lists are not reported.",
    remediation: 'Recover the deleted file from the lower layer of a docker save archive and analyse it; find out where the step copied or executed it.',
    falsePositives: 'Installers fetched to /tmp and removed after installation by a vendor Dockerfile.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const history = db
      .prepare("select image_id, step, created_by, file_id, locator from image_steps where created_by is not null and created_by <> '' order by image_id, file_id, step")
      .all() as { image_id: string | null; step: number; created_by: string; file_id: number; locator: string }[];
    const copied = new Map<string, { step: number; path: string }[]>();
    for (const h of history) {
      const text = h.created_by ?? '';
      const same = FETCH_THEN_RM.exec(text);
      if (same) {
        rows.push({ ...imageSubject(db, h.image_id, h.file_id), key: `step:${h.step}`, reason: `step ${h.step} downloads ${same[1]} and deletes it in the same step: ${stepText(text, 200)}`, file_id: h.file_id, locator: h.locator });
      }
      const c = COPY_DEST.exec(text);
      const image = h.image_id ?? `file:${h.file_id}`;
      const list = copied.get(image) ?? [];
      if (c) list.push({ step: h.step, path: c[1]! });
      copied.set(image, list);
      for (const earlier of list) {
        if (earlier.step >= h.step) continue;
        if (new RegExp(`\\brm\\s+(?:-[a-zA-Z]+\\s+)*[^;&|]*${earlier.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$|;|&)`).test(text)) {
          rows.push({ ...imageSubject(db, h.image_id, h.file_id), key: `path:${earlier.path}`, reason: `${earlier.path} added by step ${earlier.step} (COPY/ADD) is deleted by step ${h.step}`, file_id: h.file_id, locator: h.locator });
        }
      }
    }
    // Layers (docker save or dive): an added file whited out by a later layer of the same image.
    const wiped = db
      .prepare(
        `select d.path, dl.image_id, dl.layer_index as deleted_in, al.layer_index as added_in, dl.file_id, coalesce(d.locator, dl.locator || ':' || d.path) as locator, dl.created_by, dl.source
           from layer_files d join image_layers dl on dl.id = d.layer_row
           join image_layers al on al.file_id = dl.file_id and al.image_id is dl.image_id and al.layer_index < dl.layer_index
           join layer_files a on a.layer_row = al.id and a.op = 'add' and a.path = d.path and a.type = 'file'
          where d.op = 'delete' order by dl.image_id, dl.file_id, d.path`,
      )
      .all() as { path: string; image_id: string | null; deleted_in: number; added_in: number; file_id: number; locator: string; created_by: string | null; source: string }[];
    for (const w of wiped) {
      if (ORDINARY_CLEANUP.test(w.path)) continue;
      rows.push({
        ...imageSubject(db, w.image_id, w.file_id),
        key: `path:${w.path}`,
        reason: `${w.path} added in layer ${w.added_in} is deleted (whiteout) in layer ${w.deleted_in}${w.created_by ? ` by: ${stepText(w.created_by, 150)}` : ''}; its content is still in layer ${w.added_in}${w.source === 'dive' ? ' (seen by dive)' : ''}`,
        file_id: w.file_id,
        locator: w.locator,
      });
    }
    return rows;
  },
});
