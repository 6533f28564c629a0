/** etcd snapshot reader: public entry point. See README.md in this folder. */
export {
  openEtcdSnapshot,
  EtcdSnapshot,
  type OpenEtcdSnapshotOptions,
  type EtcdSnapshotStatus,
  type EtcdSnapshotIntegrity,
  type EtcdSnapshotInfo,
  type EtcdKeyRecord,
  type EtcdRecordLevel,
} from './reader.js';
export type { FreePageFinding, FreePageMatch, FreePageScan, FreePageScanOptions } from './free-pages.js';
export type { ValueKind, K8sObjectIdentity, EncryptionInfo } from './kubernetes-value.js';
export { parseRegistryKey, type RegistryKey } from './registry-key.js';
export { EtcdSnapshotError, isEtcdSnapshotError, type EtcdSnapshotErrorCode, type EtcdSnapshotProblem } from './errors.js';
