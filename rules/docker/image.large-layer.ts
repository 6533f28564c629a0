import { imageSubject, stepText } from '../../src/analysis/subjects.js';
import { threshold } from '../../src/config.js';
import { defineRule, type FindingRow } from '../../src/engine/rule.js';
import { groupBy } from '../../src/util/group-by.js';

export default defineRule({
  meta: {
    id: 'image.large-layer',
    title: 'Image layer far larger than the rest of the image',
    severity: 'INFO',
    group: 'docker',
    attack: [],
    description:
      "One layer is several times larger than all the image's other layers together (and above a minimum size). Large unexplained layers carry bundled binaries, miners, data staged for exfiltration or whole toolchains; they also explain an image much bigger than its purpose needs. Sizes come from docker history, else a docker save archive, else dive's export. Thresholds: threshold.large_layer_min_bytes (default 10 MB) and threshold.large_layer_factor (default 4).",
    remediation: "Look at the layer's build step and its files (docker save / dive) and confirm they belong in the image.",
  },
  run({ db, config }) {
    const minBytes = threshold(config, 'large_layer_min_bytes', 10_000_000);
    const factor = threshold(config, 'large_layer_factor', 4);
    // Sizes: docker history when it has them, else the layers of a docker save archive, else dive's.
    const layers = db
      .prepare(
        `select image_id, step as idx, size_bytes as size, created_by, file_id, locator from image_history where size_bytes > 0
         union all
         select l.image_id, l.layer_index, l.bytes, l.created_by, l.file_id, l.locator from image_layers l
          where l.bytes > 0
            and (l.image_id is null or not exists (select 1 from image_history h where h.image_id = l.image_id and h.size_bytes > 0))
            and (l.source = 'save' or l.image_id is null
                 or not exists (select 1 from image_layers x where x.image_id = l.image_id and x.source = 'save'))`,
      )
      .all() as { image_id: string | null; idx: number; size: number; created_by: string | null; file_id: number; locator: string }[];
    const byImage = groupBy(layers, (l) => l.image_id ?? `file:${l.file_id}`);
    const rows: FindingRow[] = [];
    for (const list of byImage.values()) {
      if (list.length < 2) continue;
      const total = list.reduce((n, l) => n + l.size, 0);
      for (const l of list) {
        const rest = total - l.size;
        if (l.size < minBytes || l.size < factor * rest) continue;
        rows.push({
          ...imageSubject(db, l.image_id, l.file_id),
          key: `layer:${l.idx}`,
          reason: `layer ${l.idx} is ${(l.size / 1e6).toFixed(1)} MB, ${(l.size / Math.max(rest, 1)).toFixed(1)}× the other ${list.length - 1} layer(s) together (${(rest / 1e6).toFixed(1)} MB)${l.created_by ? `; step: ${stepText(l.created_by, 150)}` : ''}`,
          file_id: l.file_id,
          locator: l.locator,
        });
      }
    }
    return rows;
  },
});
