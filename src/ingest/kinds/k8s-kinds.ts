import type { Ingester } from '../types.js';
import { k8sObjects } from './k8s-objects.js';
import { k8sPods } from './k8s-pods.js';
import { k8sRbac } from './k8s-rbac.js';
import { k8sSecretsMetadata } from './k8s-secrets-metadata.js';
import { k8sWorkloads } from './k8s-workloads.js';

/** The kubectl evidence kinds (registered together in registry.ts). */
export const K8S_INGESTERS: readonly Ingester[] = [k8sPods, k8sWorkloads, k8sRbac, k8sObjects, k8sSecretsMetadata];
