import type { Ingester } from '../types.js';
import { crictlImages } from './crictl-images.js';
import { crictlInspect } from './crictl-inspect.js';
import { crictlInspectp } from './crictl-inspectp.js';
import { crictlPods } from './crictl-pods.js';
import { crictlPs } from './crictl-ps.js';
import { ctrContainerInfo } from './ctr-container-info.js';
import { daemonCmdlines } from './daemon-cmdlines.js';
import { daemonJson } from './daemon-json.js';
import { diveJson } from './dive-json.js';
import { dockerDiff } from './docker-diff.js';
import { dockerHistory } from './docker-history.js';
import { dockerImageInspect } from './docker-image-inspect.js';
import { dockerImages } from './docker-images.js';
import { dockerPs } from './docker-ps.js';
import { dockerSave } from './docker-save.js';
import { dockerVolumeInspect } from './docker-volume-inspect.js';
import { cgroupReleaseAgent, kernelKnobs } from './host-knobs.js';
import { hostProcesses } from './host-processes.js';
import { listeningSockets } from './listening-sockets.js';
import { procCgroup } from './proc-cgroup.js';
import { nsReference, procNs } from './proc-ns.js';
import { procStatus } from './proc-status.js';

/** The docker / containerd / CRI and host /proc evidence kinds (one module each). */
export const DOCKER_HOST_INGESTERS: readonly Ingester[] = [
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
  hostProcesses,
  procStatus,
  procNs,
  nsReference,
  procCgroup,
  cgroupReleaseAgent,
  kernelKnobs,
  daemonCmdlines,
  listeningSockets,
];
