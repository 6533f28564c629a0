import type { Ingester } from './types.js';
import { bundleMeta } from './kinds/bundle-meta.js';
import { collectionSteps } from './kinds/collection-steps.js';
import { dockerInspect } from './kinds/docker-inspect.js';
import { DOCKER_HOST_INGESTERS } from './kinds/docker-host-kinds.js';
import { k8sAudit } from './kinds/k8s-audit.js';
import { K8S_INGESTERS } from './kinds/k8s-kinds.js';
import { componentCmdline } from './kinds/component-cmdline.js';
import { encryptionConfig } from './kinds/encryption-config.js';
import { etcdSnapshot } from './kinds/etcd-snapshot.js';
import { staticPodManifest } from './kinds/static-pod-manifest.js';
import { x509Certificate } from './kinds/x509-certificate.js';
import { RUNTIME_INGESTERS } from './runtime/ingesters.js';

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
  ...K8S_INGESTERS,
  componentCmdline,
  encryptionConfig,
  etcdSnapshot,
  staticPodManifest,
  x509Certificate,
  ...RUNTIME_INGESTERS,
];
