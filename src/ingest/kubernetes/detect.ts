import { Confidence } from '../types.js';
import type { Head } from '../source.js';

/** The four Kubernetes evidence kinds; each ingests any item kind, the kind only labels the file. */
export type K8sCategory = 'pods' | 'workloads' | 'rbac' | 'objects';

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount']);
/** Kinds another domain owns a dedicated ingester for: claimed with a low score only. */
const DEFERRED_KINDS = new Set(['TracingPolicy', 'TracingPolicyNamespaced']);

/** collect.sh file names (docs/bundle-format.md, k8s/) → the item kind they hold. */
const FILE_KINDS: Record<string, string> = {
  'pods.json': 'Pod',
  'deployments.json': 'Deployment',
  'daemonsets.json': 'DaemonSet',
  'statefulsets.json': 'StatefulSet',
  'replicasets.json': 'ReplicaSet',
  'jobs.json': 'Job',
  'cronjobs.json': 'CronJob',
  'serviceaccounts.json': 'ServiceAccount',
  'roles.json': 'Role',
  'rolebindings.json': 'RoleBinding',
  'clusterroles.json': 'ClusterRole',
  'clusterrolebindings.json': 'ClusterRoleBinding',
  'nodes.json': 'Node',
  'namespaces.json': 'Namespace',
  'networkpolicies.json': 'NetworkPolicy',
  'services.json': 'Service',
  'events.json': 'Event',
  'validatingwebhookconfigurations.json': 'ValidatingWebhookConfiguration',
  'mutatingwebhookconfigurations.json': 'MutatingWebhookConfiguration',
  'constrainttemplates.json': 'ConstraintTemplate',
  'constraints.json': 'Constraint',
  'kyverno-clusterpolicies.json': 'ClusterPolicy',
  'kyverno-policies.json': 'Policy',
  'tracingpolicies.json': 'TracingPolicy',
  'tracingpoliciesnamespaced.json': 'TracingPolicyNamespaced',
};

function categoryOf(kind: string): K8sCategory {
  if (kind === 'Pod') return 'pods';
  if (WORKLOAD_KINDS.has(kind)) return 'workloads';
  if (RBAC_KINDS.has(kind)) return 'rbac';
  return 'objects';
}

export interface K8sHeadInfo {
  category: K8sCategory;
  score: number;
  /** Kind of the items when the document does not say it per item (raw API lists, empty lists). */
  itemKind: string | null;
}

const ITEM_KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Recognises kubectl / API server JSON from the head of a file: a `List` (kubectl prints keys
 * sorted, so `apiVersion`, `items` and the first item's `apiVersion`/`kind` come first), a typed
 * list (`PodList`, API server order: `kind` first), a single object, or `kubectl version -o json`.
 * Audit events (audit.k8s.io) are the audit ingester's.
 */
export function inspectHead(head: Head): K8sHeadInfo | null {
  const text = head.trimmed;
  if (!text.startsWith('{')) return null;
  const nameKind = FILE_KINDS[head.name] ?? null;
  const whole = head.wholeValue;
  if (whole !== undefined) return fromValue(whole, nameKind);

  // Too large for the head: recognise the layout.
  const sorted = /^\{\s*"apiVersion"\s*:\s*"([^"]*)"\s*,\s*"items"\s*:\s*\[\s*\{\s*"apiVersion"\s*:\s*"([^"]*)"\s*,\s*"kind"\s*:\s*"([^"]+)"/.exec(text);
  if (sorted) {
    if (isAudit(sorted[1]!) || isAudit(sorted[2]!)) return null;
    return scored(sorted[3]!, Confidence.CERTAIN, null);
  }
  const typed = /^\{\s*"kind"\s*:\s*"([A-Za-z0-9]+)List"\s*,\s*"apiVersion"\s*:\s*"([^"]*)"/.exec(text);
  if (typed) {
    if (isAudit(typed[2]!)) return null;
    return scored(typed[1]!, Confidence.CERTAIN, typed[1]!);
  }
  // Kubernetes objects always carry apiVersion (crictl's {"items": [...]} lists do not).
  if (/"items"\s*:\s*\[/.test(text) && /"metadata"\s*:\s*\{/.test(text) && /"apiVersion"\s*:/.test(text) && !/audit\.k8s\.io/.test(text.slice(0, 4096))) {
    const kind = /"kind"\s*:\s*"([A-Z][A-Za-z0-9]*)"/.exec(text)?.[1];
    if (kind && kind !== 'List') return scored(kind, Confidence.PLAUSIBLE, nameKind);
    if (nameKind) return scored(nameKind, Confidence.PLAUSIBLE, nameKind);
  }
  return null;
}

function fromValue(value: unknown, nameKind: string | null): K8sHeadInfo | null {
  if (!isObject(value)) return null;
  if (isObject(value.serverVersion) || isObject(value.clientVersion)) {
    // kubectl version -o json
    return typeof (value.clientVersion as Record<string, unknown> | undefined)?.gitVersion === 'string' ||
      typeof (value.serverVersion as Record<string, unknown> | undefined)?.gitVersion === 'string'
      ? { category: 'objects', score: Confidence.CERTAIN, itemKind: null }
      : null;
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : null;
  const kind = typeof value.kind === 'string' ? value.kind : null;
  if (apiVersion !== null && isAudit(apiVersion)) return null;
  if (Array.isArray(value.items)) {
    if (kind === null || !ITEM_KIND_NAME.test(kind) || !kind.endsWith('List')) return null;
    const listOf = kind === 'List' ? null : kind.slice(0, -4);
    const first = value.items.find(isObject);
    if (first) {
      if (typeof first.apiVersion === 'string' && isAudit(first.apiVersion)) return null;
      if (!isObject(first.metadata)) return null;
      const itemKind = typeof first.kind === 'string' ? first.kind : listOf ?? nameKind;
      if (!itemKind) return { category: 'objects', score: Confidence.PLAUSIBLE, itemKind: null };
      return scored(itemKind, Confidence.CERTAIN, listOf ?? nameKind);
    }
    if (value.items.length > 0) return null;
    // An empty list still proves what was collected (no network policies is a finding).
    const emptyKind = listOf ?? nameKind;
    return emptyKind ? scored(emptyKind, Confidence.PLAUSIBLE, emptyKind) : { category: 'objects', score: 30, itemKind: null };
  }
  if (apiVersion === null || kind === null || !ITEM_KIND_NAME.test(kind) || !isObject(value.metadata)) return null;
  if (typeof value.metadata.name !== 'string') return null;
  return scored(kind, Confidence.CERTAIN, kind);
}

function scored(kind: string, score: number, itemKind: string | null): K8sHeadInfo {
  return { category: categoryOf(kind), score: DEFERRED_KINDS.has(kind) ? 40 : score, itemKind };
}

function isAudit(apiVersion: string): boolean {
  return apiVersion.startsWith('audit.k8s.io/');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
