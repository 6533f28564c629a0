import type { Ingester } from '../types.js';
import { inspectHead, type K8sCategory } from './detect.js';
import { ingestKubernetesDocument } from './ingest.js';

/**
 * The Kubernetes evidence kinds share detection and ingestion: the kind only labels the file
 * (what was collected, for coverage); every item is stored according to its own kind.
 */
export function kubernetesIngester(kind: string, category: K8sCategory, description: string, evidenceCopy?: string): Ingester {
  return {
    kind,
    description,
    ...(evidenceCopy ? { evidenceCopy } : {}),
    detect(head) {
      const info = inspectHead(head);
      return info && info.category === category ? info.score : 0;
    },
    ingest: ingestKubernetesDocument,
  };
}
