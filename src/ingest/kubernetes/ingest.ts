import { z } from 'zod';
import type { EvidenceSource, JsonItem } from '../source.js';
import type { IngestContext } from '../types.js';
import { inspectHead, isObject } from './detect.js';
import { insertPodSpec } from './pod-specs.js';
import { insertBinding, insertRole, insertServiceAccount, insertSelector } from './rbac.js';
import {
  Binding,
  CoreEvent,
  Controller,
  CronJob,
  KubectlVersion,
  KubernetesObject,
  NetworkPolicy,
  Node,
  Pod,
  Role,
  Service,
  ServiceAccount,
  WebhookConfiguration,
  type ObjectMeta,
} from './schemas.js';

/** Objects per transaction: large enough to amortise the commit, small enough to bound memory. */
const BATCH = 500;
/** Annotation values longer than this are cut (they are context, not evidence; the file keeps them). */
const MAX_ANNOTATION = 2048;

/**
 * Ingests one kubectl JSON document (a List of any size, streamed, or a single object). Every
 * item is dispatched on its own kind, so a mixed `kubectl get all -o json` works whichever
 * evidence kind the file was labelled with.
 */
export async function ingestKubernetesDocument(source: EvidenceSource, ctx: IngestContext): Promise<void> {
  const info = inspectHead(source.head);
  const writer = new KubernetesWriter(ctx, info?.itemKind ?? null);
  let pending: JsonItem[] = [];
  for await (const item of source.jsonItems()) {
    pending.push(item);
    if (pending.length >= BATCH) {
      writer.write(pending);
      pending = [];
    }
  }
  writer.write(pending);
  writer.finish(isList(source));
}

function isList(source: EvidenceSource): boolean {
  const whole = source.head.wholeValue;
  if (whole !== undefined) return isObject(whole) && Array.isArray(whole.items);
  return /^\{[^{]*"items"\s*:\s*\[/.test(source.head.trimmed) || /^\{\s*"kind"\s*:\s*"[A-Za-z0-9]*List"/.test(source.head.trimmed);
}

class KubernetesWriter {
  private items = 0;
  private readonly kinds = new Map<string, number>();

  constructor(
    private readonly ctx: IngestContext,
    /** Kind of items that do not name their own (raw API lists). */
    private readonly defaultKind: string | null,
  ) {}

  write(items: JsonItem[]): void {
    if (items.length === 0) return;
    this.ctx.db.transaction(() => {
      for (const item of items) this.item(item.value, item.pointer);
    });
    this.ctx.progress(items.length);
  }

  finish(list: boolean): void {
    let resource = this.defaultKind;
    let most = 0;
    for (const [kind, n] of this.kinds) {
      if (n > most) {
        most = n;
        resource = kind;
      }
    }
    this.ctx.db.insert('k8s_lists', { file_id: this.ctx.fileId, locator: list ? '/items' : '', resource, items: this.items });
  }

  private item(value: unknown, pointer: string): void {
    this.items++;
    if (isObject(value) && !('metadata' in value) && ('clientVersion' in value || 'serverVersion' in value)) {
      const v = KubectlVersion.safeParse(value);
      if (v.success) {
        this.ctx.db.insert('k8s_cluster_version', {
          file_id: this.ctx.fileId,
          locator: pointer,
          server_version: v.data.serverVersion?.gitVersion ?? null,
          client_version: v.data.clientVersion?.gitVersion ?? null,
        });
        this.count('Version');
        return;
      }
    }
    const parsed = KubernetesObject.safeParse(value);
    if (!parsed.success) {
      this.problem(pointer, 'not a Kubernetes object', parsed.error);
      return;
    }
    const object = parsed.data;
    const kind = object.kind ?? this.defaultKind;
    if (!kind) {
      this.ctx.problem('schema', 'Kubernetes object without a kind (and no List kind to infer it from)', pointer);
      return;
    }
    this.count(kind);
    const meta = object.metadata;
    const objectId = this.insertObject(object.apiVersion ?? null, kind, meta, pointer);
    try {
      this.byKind(kind, object.apiVersion ?? '', value as Record<string, unknown>, meta, objectId, pointer);
    } catch (error) {
      if (!(error instanceof SchemaProblem)) throw error;
      this.problem(pointer, `${kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}: unexpected shape`, error.zodError);
    }
  }

  private insertObject(apiVersion: string | null, kind: string, meta: ObjectMeta, pointer: string): number {
    const owners = meta.ownerReferences ?? [];
    const owner = owners.find((o) => o.controller === true) ?? owners[0];
    const annotations: Record<string, string> = {};
    for (const [key, val] of Object.entries(meta.annotations ?? {})) {
      if (key === 'kubectl.kubernetes.io/last-applied-configuration') continue;
      annotations[key] = val.length > MAX_ANNOTATION ? `${val.slice(0, MAX_ANNOTATION)}…` : val;
    }
    const managers = (meta.managedFields ?? []).map((m) => ({ manager: m.manager ?? null, operation: m.operation ?? null, time: m.time ?? null }));
    const id = this.ctx.db.insert('k8s_objects', {
      file_id: this.ctx.fileId,
      locator: pointer,
      api_version: apiVersion,
      kind,
      namespace: meta.namespace || null,
      name: meta.name,
      uid: meta.uid ?? null,
      created: meta.creationTimestamp ?? null,
      deleted: meta.deletionTimestamp ?? null,
      labels: meta.labels ?? null,
      annotations: Object.keys(annotations).length > 0 ? annotations : null,
      owner_kind: owner?.kind ?? null,
      owner_name: owner?.name ?? null,
      owner_uid: owner?.uid ?? null,
      managers: managers.length > 0 ? managers : null,
    });
    for (const [key, val] of Object.entries(meta.labels ?? {})) this.ctx.db.insert('k8s_labels', { object_id: id, key, value: val });
    return id;
  }

  private byKind(kind: string, apiVersion: string, value: Record<string, unknown>, meta: ObjectMeta, objectId: number, p: string): void {
    const ctx = this.ctx;
    const namespace = meta.namespace || null;
    const base = { file_id: ctx.fileId, locator: p };
    switch (kind) {
      case 'Pod': {
        const pod = parse(Pod, value);
        insertPodSpec(ctx, {
          objectId,
          pointer: `${p}/spec`,
          metaPointer: `${p}/metadata`,
          source: 'pod',
          kind,
          namespace,
          name: meta.name,
          annotations: meta.annotations ?? {},
          spec: pod.spec,
          status: pod.status,
        });
        return;
      }
      case 'Deployment':
      case 'DaemonSet':
      case 'StatefulSet':
      case 'ReplicaSet':
      case 'ReplicationController':
      case 'Job': {
        const c = parse(Controller, value);
        insertPodSpec(ctx, {
          objectId,
          pointer: `${p}/spec/template/spec`,
          metaPointer: `${p}/spec/template/metadata`,
          source: 'template',
          kind,
          namespace,
          name: meta.name,
          annotations: c.spec.template.metadata?.annotations ?? {},
          spec: c.spec.template.spec,
          replicas: c.spec.replicas,
        });
        return;
      }
      case 'CronJob': {
        const c = parse(CronJob, value);
        const template = c.spec.jobTemplate.spec.template;
        insertPodSpec(ctx, {
          objectId,
          pointer: `${p}/spec/jobTemplate/spec/template/spec`,
          metaPointer: `${p}/spec/jobTemplate/spec/template/metadata`,
          source: 'template',
          kind,
          namespace,
          name: meta.name,
          annotations: template.metadata?.annotations ?? {},
          spec: template.spec,
          cronJob: { schedule: c.spec.schedule ?? null, suspend: c.spec.suspend ?? null, lastSchedule: c.status?.lastScheduleTime ?? null },
        });
        return;
      }
      case 'Role':
      case 'ClusterRole':
        insertRole(ctx, kind, parse(Role, value), meta, objectId, p);
        return;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        insertBinding(ctx, kind, parse(Binding, value), meta, objectId, p);
        return;
      case 'ServiceAccount':
        insertServiceAccount(ctx, parse(ServiceAccount, value), meta, objectId, p);
        return;
      case 'Node': {
        const n = parse(Node, value);
        const info = n.status?.nodeInfo;
        const roles = Object.keys(meta.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length));
        ctx.db.insert('k8s_nodes', {
          ...base,
          object_id: objectId,
          name: meta.name,
          created: meta.creationTimestamp ?? null,
          kubelet_version: info?.kubeletVersion ?? null,
          os_image: info?.osImage ?? null,
          kernel_version: info?.kernelVersion ?? null,
          container_runtime: info?.containerRuntimeVersion ?? null,
          operating_system: info?.operatingSystem ?? null,
          architecture: info?.architecture ?? null,
          internal_ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? null,
          ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? null,
          unschedulable: n.spec?.unschedulable ?? null,
          roles,
        });
        return;
      }
      case 'NetworkPolicy': {
        const np = parse(NetworkPolicy, value);
        const selectorId = insertSelector(ctx, objectId, `${p}/spec/podSelector`, 'netpol', namespace, np.spec.podSelector ?? {});
        // The API server defaults policyTypes: Ingress always, Egress when egress rules exist.
        const types = np.spec.policyTypes ?? ['Ingress', ...(np.spec.egress ? ['Egress'] : [])];
        ctx.db.insert('k8s_network_policies', {
          ...base,
          object_id: objectId,
          namespace: namespace ?? 'default',
          name: meta.name,
          policy_types: types,
          ingress_rules: np.spec.ingress?.length ?? 0,
          egress_rules: np.spec.egress?.length ?? 0,
          selector_id: selectorId,
        });
        return;
      }
      case 'Service': {
        const s = parse(Service, value);
        const selector = s.spec?.selector;
        const selectorId =
          selector && Object.keys(selector).length > 0
            ? insertSelector(ctx, objectId, `${p}/spec/selector`, 'service', namespace, { matchLabels: selector })
            : null;
        ctx.db.insert('k8s_services', {
          ...base,
          object_id: objectId,
          namespace: namespace ?? 'default',
          name: meta.name,
          type: s.spec?.type ?? 'ClusterIP',
          cluster_ip: s.spec?.clusterIP ?? null,
          external_ips: s.spec?.externalIPs?.length ? s.spec.externalIPs : null,
          node_ports: (s.spec?.ports ?? []).map((x) => x.nodePort).filter((x): x is number => typeof x === 'number'),
          lb_ingress: (s.status?.loadBalancer?.ingress ?? []).map((x) => x.ip ?? x.hostname).filter(Boolean),
          selector_id: selectorId,
        });
        return;
      }
      case 'MutatingWebhookConfiguration':
      case 'ValidatingWebhookConfiguration': {
        const w = parse(WebhookConfiguration, value);
        (w.webhooks ?? []).forEach((hook, i) =>
          ctx.db.insert('k8s_webhooks', {
            file_id: ctx.fileId,
            locator: `${p}/webhooks/${i}`,
            object_id: objectId,
            config_kind: kind,
            config_name: meta.name,
            name: hook.name ?? null,
            client_url: hook.clientConfig?.url ?? null,
            service_namespace: hook.clientConfig?.service?.namespace ?? null,
            service_name: hook.clientConfig?.service?.name ?? null,
            service_path: hook.clientConfig?.service?.path ?? null,
            failure_policy: hook.failurePolicy ?? null,
            rules: hook.rules ?? null,
          }),
        );
        return;
      }
      case 'Event': {
        const e = parse(CoreEvent, value);
        const involved = e.involvedObject ?? e.regarding;
        ctx.db.insert('k8s_events', {
          ...base,
          namespace,
          involved_kind: involved?.kind ?? null,
          involved_namespace: involved?.namespace ?? null,
          involved_name: involved?.name ?? null,
          reason: e.reason ?? null,
          type: e.type ?? null,
          message: e.message ?? e.note ?? null,
          first_time: e.firstTimestamp ?? e.deprecatedFirstTimestamp ?? e.eventTime ?? null,
          last_time: e.lastTimestamp ?? e.deprecatedLastTimestamp ?? e.eventTime ?? null,
          count: e.count ?? e.deprecatedCount ?? null,
          source: e.source?.component ?? e.reportingController ?? e.reportingComponent ?? null,
        });
        return;
      }
    }
    const policy = admissionPolicy(kind, apiVersion, value);
    if (policy) ctx.db.insert('k8s_admission_policies', { ...base, object_id: objectId, namespace, name: meta.name, kind, ...policy });
  }

  private count(kind: string): void {
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
  }

  private problem(pointer: string, what: string, error: z.ZodError): void {
    const first = z.prettifyError(error).split('\n').slice(0, 2).join(' ');
    this.ctx.problem('schema', `${what}: ${first}`, pointer);
  }
}

/** Gatekeeper constraints, Kyverno policies and ValidatingAdmissionPolicyBindings, with the mode they run in. */
function admissionPolicy(kind: string, apiVersion: string, value: Record<string, unknown>): { engine: string; mode: string } | null {
  const spec = isObject(value.spec) ? value.spec : {};
  if (apiVersion.startsWith('constraints.gatekeeper.sh/')) {
    const action = typeof spec.enforcementAction === 'string' ? spec.enforcementAction.toLowerCase() : 'deny';
    return { engine: 'gatekeeper', mode: action === 'deny' ? 'enforce' : action };
  }
  if (apiVersion.startsWith('kyverno.io/') && (kind === 'ClusterPolicy' || kind === 'Policy')) {
    const actions = [spec.validationFailureAction];
    if (Array.isArray(spec.rules)) {
      for (const rule of spec.rules) if (isObject(rule) && isObject(rule.validate)) actions.push(rule.validate.failureAction);
    }
    const enforce = actions.some((a) => typeof a === 'string' && a.toLowerCase() === 'enforce');
    return { engine: 'kyverno', mode: enforce ? 'enforce' : 'audit' };
  }
  if (apiVersion.startsWith('admissionregistration.k8s.io/') && kind === 'ValidatingAdmissionPolicyBinding') {
    const actions = Array.isArray(spec.validationActions) ? spec.validationActions : [];
    return { engine: 'validating-admission-policy', mode: actions.includes('Deny') ? 'enforce' : actions.includes('Warn') ? 'warn' : 'audit' };
  }
  return null;
}

/** Thrown by parse(): the object is kept (k8s_objects), its kind-specific rows are not. */
class SchemaProblem extends Error {
  constructor(readonly zodError: z.ZodError) {
    super('schema');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SchemaProblem(result.error);
  return result.data;
}
