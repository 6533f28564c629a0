import type { Ingester } from './types.js';
import { bundleMeta } from './kinds/bundle-meta.js';
import { collectionSteps } from './kinds/collection-steps.js';
import { componentCmdline } from './kinds/component-cmdline.js';
import { crictlImages } from './kinds/crictl-images.js';
import { crictlInspect } from './kinds/crictl-inspect.js';
import { crictlInspectp } from './kinds/crictl-inspectp.js';
import { crictlPods } from './kinds/crictl-pods.js';
import { crictlPs } from './kinds/crictl-ps.js';
import { ctrContainerInfo } from './kinds/ctr-container-info.js';
import { daemonCmdlines } from './kinds/daemon-cmdlines.js';
import { daemonJson } from './kinds/daemon-json.js';
import { diveJson } from './kinds/dive-json.js';
import { dockerDiff } from './kinds/docker-diff.js';
import { dockerHistory } from './kinds/docker-history.js';
import { dockerImageInspect } from './kinds/docker-image-inspect.js';
import { dockerImages } from './kinds/docker-images.js';
import { dockerInspect } from './kinds/docker-inspect.js';
import { dockerPs } from './kinds/docker-ps.js';
import { dockerSave } from './kinds/docker-save.js';
import { dockerVolumeInspect } from './kinds/docker-volume-inspect.js';
import { encryptionConfig } from './kinds/encryption-config.js';
import { etcdSnapshot } from './kinds/etcd-snapshot.js';
import { falcoAlerts } from './kinds/falco-alerts.js';
import { falcoRules } from './kinds/falco-rules.js';
import { cgroupReleaseAgent, kernelKnobs } from './kinds/host-knobs.js';
import { hostProcesses } from './kinds/host-processes.js';
import { k8sAudit } from './kinds/k8s-audit.js';
import { k8sObjects } from './kinds/k8s-objects.js';
import { k8sPods } from './kinds/k8s-pods.js';
import { k8sRbac } from './kinds/k8s-rbac.js';
import { k8sSecretsMetadata } from './kinds/k8s-secrets-metadata.js';
import { k8sWorkloads } from './kinds/k8s-workloads.js';
import { listeningSockets } from './kinds/listening-sockets.js';
import { procCgroup } from './kinds/proc-cgroup.js';
import { nsReference, procNs } from './kinds/proc-ns.js';
import { procStatus } from './kinds/proc-status.js';
import { staticPodManifest } from './kinds/static-pod-manifest.js';
import { tetragonEvents } from './kinds/tetragon-events.js';
import { tetragonPolicies } from './kinds/tetragon-policies.js';
import { traceeEvents } from './kinds/tracee-events.js';
import { x509Certificate } from './kinds/x509-certificate.js';

/**
 * Every evidence kind cf-analyze understands. Adding a kind = one module in kinds/ + one line
 * here (+ its tables in src/case-db/schema/). Order only matters for equal detection scores.
 */
export const INGESTERS: readonly Ingester[] = [
  // collect.sh's own files
  bundleMeta,
  collectionSteps,
  // Docker, containerd, CRI
  dockerInspect,
  dockerImageInspect,
  dockerImages,
  dockerHistory,
  dockerPs,
  dockerDiff,
  dockerVolumeInspect,
  dockerSave,
  daemonJson,
  diveJson,
  crictlInspect,
  crictlInspectp,
  crictlPs,
  crictlPods,
  crictlImages,
  ctrContainerInfo,
  // the host's /proc
  hostProcesses,
  procStatus,
  procNs,
  nsReference,
  procCgroup,
  cgroupReleaseAgent,
  kernelKnobs,
  daemonCmdlines,
  listeningSockets,
  // Kubernetes API objects and the API server's audit log
  k8sPods,
  k8sWorkloads,
  k8sRbac,
  k8sObjects,
  k8sSecretsMetadata,
  k8sAudit,
  // control plane
  componentCmdline,
  staticPodManifest,
  encryptionConfig,
  x509Certificate,
  etcdSnapshot,
  // eBPF runtime tools
  falcoAlerts,
  falcoRules,
  tetragonEvents,
  tetragonPolicies,
  traceeEvents,
];
