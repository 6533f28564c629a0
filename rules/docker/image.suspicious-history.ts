import { imageSubject, stepText } from '../../src/analysis/subjects.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { matchPatterns } from '../../src/patterns/command-patterns.js';

export default defineRule({
  meta: {
    id: 'image.suspicious-history',
    title: 'Image build step downloads and runs code, adds an SSH key or opens permissions',
    severity: 'SUSPICIOUS',
    group: 'docker',
    attack: ['T1525', 'T1612'],
    description:
      "An image's build history (docker history --no-trunc, crictl inspecti, or the steps of a docker save archive or a dive export) holds a step an image review flags: a script downloaded and executed, netcat / socat / nmap, a miner, base64 data decoded (and run), an SSH key added to authorized_keys, chmod 777 or a setuid bit. Backdoored images hide their payload in exactly these steps. Patterns: src/patterns/command-patterns.ts.",
    remediation: 'Rebuild the image from a reviewed Dockerfile; if the image came from a registry, treat it as untrusted and check every container that used it.',
    falsePositives: 'Vendor Dockerfiles that install software with curl | sh from the vendor URL.',
  },
  run({ db }) {
    // image_steps: docker history, crictl inspecti's config history, else docker save / dive layers
    const steps = db
      .prepare("select image_id, step, created_by, file_id, locator, created_at from image_steps where created_by is not null and created_by <> '' order by image_id, file_id, step")
      .all() as { image_id: string | null; step: number; created_by: string; file_id: number; locator: string; created_at: string | null }[];
    const rows: FindingRow[] = [];
    for (const s of steps) {
      for (const p of matchPatterns(s.created_by ?? '', 'history')) {
        if (p.category === 'tool-install') continue; // image.tooling-install's
        const subject = imageSubject(db, s.image_id, s.file_id);
        rows.push({
          ...subject,
          key: p.id,
          reason: `step ${s.step}: ${p.description} [${p.id}]: ${stepText(s.created_by, 300)}`,
          file_id: s.file_id,
          locator: s.locator,
          first_seen: s.created_at,
        });
      }
    }
    return rows;
  },
});
