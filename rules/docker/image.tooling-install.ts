import { imageSubject, stepText } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { COMMAND_PATTERNS, TOOLING_BINARIES, TOOLING_PURPOSE } from '../../src/patterns/command-patterns.js';

const INSTALL = COMMAND_PATTERNS.find((p) => p.id === 'package-install-tooling')!;
const BIN_DIRS = /^\/(?:usr\/)?(?:local\/)?s?bin\/([^/]+)$/;

export default defineRule({
  meta: {
    id: 'image.tooling-install',
    title: 'Image adds network or build tooling its purpose does not need',
    severity: 'SUSPICIOUS',
    group: 'docker',
    attack: ['T1525'],
    description:
      'A build step installs, or a layer adds, curl, wget, netcat/ncat, nmap, socat, python, gcc or ssh in an image whose name and labels do not say it is a build, SDK or debug image. Such tools are what an intruder needs next (download, tunnel, scan, compile an exploit); attackers add them to images they tamper with, and a service image that carries them gives any foothold a full toolkit. Base layers (layer 0) are not judged.',
    remediation: 'Remove the tools from the runtime image (multi-stage builds), or document why the service needs them.',
    falsePositives: 'Images whose purpose needs the tool (a Python service needs python): add a label or a name that says so.',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const namesOf = db.prepare("select coalesce(repository, '') || ':' || coalesce(tag, '') as n from image_refs where image_id = ?");
    const labelsOf = db.prepare('select labels from images where image_id = ? and labels is not null');
    const purposes = new Map<string, boolean>();
    // asked per step and per tooling file: read each image's names and labels once
    const purpose = (imageId: string | null) => {
      if (!imageId) return false;
      let known = purposes.get(imageId);
      if (known === undefined) {
        const names = namesOf.all(imageId) as { n: string }[];
        const labels = labelsOf.all(imageId) as { labels: string }[];
        known = TOOLING_PURPOSE.test([...names.map((r) => r.n), ...labels.map((l) => l.labels)].join(' '));
        purposes.set(imageId, known);
      }
      return known;
    };
    // build steps (history, else docker save / dive layers); the base (step/layer 0) is not judged
    const steps = db
      .prepare('select image_id, step, created_by, file_id, locator from image_steps where step > 0 and created_by is not null order by image_id, file_id, step')
      .all() as { image_id: string | null; step: number; created_by: string; file_id: number; locator: string }[];
    for (const s of steps) {
      const m = INSTALL.regex.exec(s.created_by ?? '');
      if (!m || purpose(s.image_id)) continue;
      rows.push({ ...imageSubject(db, s.image_id, s.file_id), key: `install:${m[1]}`, reason: `step ${s.step} installs ${m[1]}: ${stepText(s.created_by, 200)}`, file_id: s.file_id, locator: s.locator });
    }
    const files = db
      .prepare(
        `select l.image_id, l.layer_index, l.created_by, l.file_id, coalesce(f.locator, l.locator || ':' || f.path) as locator, f.path, f.type, f.link_target from layer_files f
           join image_layers l on l.id = f.layer_row where f.op = 'add' and l.layer_index > 0 and f.type in ('file', 'symlink', 'link') order by l.file_id, l.layer_index, f.path`,
      )
      .all() as { image_id: string | null; layer_index: number; created_by: string | null; file_id: number; locator: string; path: string; type: string; link_target: string | null }[];
    const perImage = new Map<string, { tools: string[]; first: (typeof files)[number] }>();
    for (const f of files) {
      const name = BIN_DIRS.exec(f.path)?.[1];
      if (!name || !TOOLING_BINARIES.includes(name) || purpose(f.image_id)) continue;
      const key = `${f.file_id}\u0000${f.image_id}\u0000${f.layer_index}`;
      const entry = perImage.get(key) ?? { tools: [], first: f };
      entry.tools.push(f.path);
      perImage.set(key, entry);
    }
    for (const { tools, first } of perImage.values()) {
      rows.push({
        ...imageSubject(db, first.image_id, first.file_id),
        key: `layer:${first.layer_index}`,
        reason: `layer ${first.layer_index} adds ${tools.join(', ')}${first.created_by ? ` (step: ${stepText(first.created_by, 150)})` : ''}`,
        file_id: first.file_id,
        locator: first.locator,
      });
    }
    return rows;
  },
});
