import type { Ingester } from './types.js';
import { bundleMeta } from './kinds/bundle-meta.js';
import { collectionSteps } from './kinds/collection-steps.js';
import { dockerInspect } from './kinds/docker-inspect.js';
import { DOCKER_HOST_INGESTERS } from './kinds/docker-host-kinds.js';
import { k8sAudit } from './kinds/k8s-audit.js';
import { componentCmdline } from './kinds/component-cmdline.js';
import { encryptionConfig } from './kinds/encryption-config.js';
import { staticPodManifest } from './kinds/static-pod-manifest.js';
import { x509Certificate } from './kinds/x509-certificate.js';

/**
 * Every evidence kind cf-analyze understands. Adding a kind = one module in kinds/ + one line
 * here (+ its tables in src/case-db/schema/). Order only matters for equal scores.
 */
export const INGESTERS: readonly Ingester[] = [
  bundleMeta,
  collectionSteps,
  dockerInspect,
  ...DOCKER_HOST_INGESTERS,
  k8sAudit,
  componentCmdline,
  encryptionConfig,
  staticPodManifest,
  x509Certificate,
];
