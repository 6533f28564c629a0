/**
 * Benign background traffic of a small production cluster, as kube-apiserver audits it: kubelets
 * renewing leases and reading their pods' configmaps and secrets, controllers reconciling,
 * the scheduler binding pods, CoreDNS and Prometheus watching, CI patching deployments, and a
 * few humans with kubectl. About one request in ten carries a request/response object (writes
 * logged at Request / RequestResponse level, as a typical policy does). Used by the sample
 * bundle script and the benchmark.
 */
import { type AuditRequest, type AuditUser, rbacReason, uuid } from './audit-log-writer.js';

export const K8S_VERSION = 'v1.29.4';
const COMMIT = '55019c83b0fd51ef4ced8c29eec2c4847f896e74';
const ua = (program: string, suffix = '') => `${program}/${K8S_VERSION} (linux/amd64) kubernetes/${COMMIT.slice(0, 7)}${suffix}`;

export const NODES = ['ip-10-0-1-21', 'ip-10-0-1-22', 'ip-10-0-2-31', 'ip-10-0-2-32'];
export const NAMESPACES = ['shop', 'payments', 'monitoring', 'kube-system', 'default', 'ci'];
const APP_PODS: Record<string, string[]> = {
  shop: ['frontend-6d8f9c7b5-x2k4q', 'frontend-6d8f9c7b5-m9zt7', 'cart-5b7c9d8f6-p4lqs', 'catalog-7f9b8c6d5-h2jkw'],
  payments: ['payments-api-84c7d9f6b-t6vbn', 'ledger-0'],
  monitoring: ['prometheus-k8s-0', 'node-exporter-5xq8r', 'node-exporter-9kd2m'],
  'kube-system': ['coredns-76f75df574-8lq2v', 'kube-proxy-7xk2p', 'kube-proxy-q4n8s'],
  default: [],
  ci: ['runner-7d9f8c-2kq9l'],
};
const CONFIGMAPS = ['kube-root-ca.crt', 'app-config', 'feature-flags', 'nginx-conf'];
const SECRETS_BY_NS: Record<string, string[]> = {
  shop: ['frontend-tls', 'cart-db-credentials', 'catalog-api-key'],
  payments: ['stripe-api-key', 'ledger-db-credentials'],
  monitoring: ['prometheus-k8s-tls', 'grafana-admin'],
  'kube-system': ['bootstrap-token-abcdef', 'coredns-token', 'kube-proxy-token'],
  default: ['registry-pull-secret'],
  ci: ['deployer-kubeconfig'],
};

type Actor = { weight: number; make: (rand: () => number, at: number, id: string) => AuditRequest };

const nodeUser = (node: string): AuditUser => ({ username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] });
const saUser = (ns: string, name: string, extra?: Record<string, string[]>): AuditUser => ({
  username: `system:serviceaccount:${ns}:${name}`,
  uid: fakeUid(`${ns}/${name}`),
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
  ...(extra ? { extra } : {}),
});
/** A pod-bound token (1.29): the credential id and the pod and node claims appear in user.extra. */
const podSaUser = (ns: string, name: string, pod: string, node: string): AuditUser =>
  saUser(ns, name, {
    'authentication.kubernetes.io/credential-id': [`JTI=${fakeUid(`${pod}/token`)}`],
    'authentication.kubernetes.io/node-name': [node],
    'authentication.kubernetes.io/node-uid': [fakeUid(node)],
    'authentication.kubernetes.io/pod-name': [pod],
    'authentication.kubernetes.io/pod-uid': [fakeUid(pod)],
  });
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** A stable fake uid for a name (deterministic, uuid-shaped). */
export function fakeUid(name: string): string {
  let h = 0x811c9dc5;
  const parts: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    parts.push(h.toString(16).padStart(8, '0'));
  }
  const hex = parts.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const CONTROLLERS = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'generic-garbage-collector', 'job-controller', 'namespace-controller'];
const CONTROL_PLANE_IP = '10.0.0.10';
const nodeIp = (node: string) => node.replace(/^ip-/, '').replace(/-/g, '.');
/** A kubelet's successful request: the node's identity and address; the Node authorizer gives no reason text. */
const kubeletRequest = (node: string, r: Pick<AuditRequest, 'auditID' | 'at' | 'duration' | 'requestURI' | 'verb' | 'objectRef'>): AuditRequest => ({
  ...r,
  user: nodeUser(node),
  sourceIPs: [nodeIp(node)],
  userAgent: ua('kubelet'),
  code: 200,
  decision: 'allow',
  reason: '',
});

function podSpec(name: string, ns: string, image: string): Record<string, unknown> {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: ns, labels: { app: name.split('-')[0] }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: name.split('-').slice(0, 2).join('-'), uid: fakeUid(name), controller: true, blockOwnerDeletion: true }] },
    spec: {
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 } }],
      containers: [
        {
          name: name.split('-')[0],
          image,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
          volumeMounts: [{ name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001 },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      securityContext: {},
      schedulerName: 'default-scheduler',
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {},
  };
}

const ACTORS: Actor[] = [
  {
    // kubelet lease renewal: the bulk of any audit log
    weight: 30,
    make: (rand, at, id) => {
      const node = pick(rand, NODES);
      return kubeletRequest(node, {
        auditID: id,
        at,
        duration: 1500 + Math.floor(rand() * 3000),
        requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s`,
        verb: 'update',
        objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: node, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' },
      });
    },
  },
  {
    // kubelet reads its pods' configmaps and secrets, and watches its pods
    weight: 14,
    make: (rand, at, id) => {
      const node = pick(rand, NODES);
      const ns = pick(rand, ['shop', 'payments', 'monitoring']);
      const secret = rand() < 0.3;
      const name = secret ? pick(rand, SECRETS_BY_NS[ns]!) : pick(rand, CONFIGMAPS);
      const resource = secret ? 'secrets' : 'configmaps';
      return kubeletRequest(node, {
        auditID: id,
        at,
        duration: 800 + Math.floor(rand() * 2500),
        requestURI: `/api/v1/namespaces/${ns}/${resource}/${name}`,
        verb: 'get',
        objectRef: { resource, namespace: ns, name, apiVersion: 'v1' },
      });
    },
  },
  {
    // controllers reconciling
    weight: 18,
    make: (rand, at, id) => {
      const controller = pick(rand, CONTROLLERS);
      const ns = pick(rand, ['shop', 'payments', 'monitoring', 'ci']);
      const pods = APP_PODS[ns]!;
      const [verb, resource, group, name] = pick(rand, [
        ['get', 'replicasets', 'apps', 'frontend-6d8f9c7b5'],
        ['update', 'replicasets', 'apps', 'frontend-6d8f9c7b5'],
        ['list', 'pods', '', undefined],
        ['update', 'endpointslices', 'discovery.k8s.io', `${ns}-svc-x7k2p`],
        ['patch', 'pods', '', pick(rand, pods.length > 0 ? pods : ['none'])],
        ['create', 'events', '', undefined],
      ] as const);
      const base = group ? `/apis/${group}/v1` : '/api/v1';
      const sa = saUser('kube-system', controller);
      return {
        auditID: id,
        at,
        duration: 1000 + Math.floor(rand() * 4000),
        level: verb === 'update' || verb === 'patch' ? 'Request' : 'Metadata',
        requestURI: `${base}/namespaces/${ns}/${resource}${name ? `/${name}` : ''}${verb === 'list' ? '?labelSelector=app%3Dfrontend&limit=500' : ''}`,
        verb,
        user: sa,
        sourceIPs: [CONTROL_PLANE_IP],
        userAgent: ua('kube-controller-manager', `/system:serviceaccount:kube-system:${controller}`),
        objectRef: { resource, namespace: ns, ...(name ? { name } : {}), ...(group ? { apiGroup: group } : {}), apiVersion: 'v1' },
        code: verb === 'create' ? 201 : 200,
        decision: 'allow',
        reason: rbacReason('ClusterRoleBinding', `system:controller:${controller}`, `system:controller:${controller}`, `ServiceAccount "${controller}/kube-system"`),
        ...(verb === 'patch' && resource === 'pods'
          ? { requestObject: { metadata: { labels: { 'pod-template-hash': '6d8f9c7b5' }, ownerReferences: null } } }
          : verb === 'update' && resource === 'replicasets'
            ? { requestObject: { kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: { name, namespace: ns, generation: 3, labels: { app: 'frontend' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'frontend', 'pod-template-hash': '6d8f9c7b5' } }, template: { metadata: { labels: { app: 'frontend', 'pod-template-hash': '6d8f9c7b5' } }, spec: podSpec('frontend-x', ns, 'registry.example.com/shop/frontend:1.4.2').spec } }, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 } } }
            : {}),
      };
    },
  },
  {
    // scheduler and controller-manager leader election, scheduler watches
    weight: 8,
    make: (rand, at, id) => {
      const who = pick(rand, ['kube-scheduler', 'kube-controller-manager']);
      return {
        auditID: id,
        at,
        duration: 1200 + Math.floor(rand() * 2000),
        requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${who}?timeout=5s`,
        verb: rand() < 0.5 ? 'get' : 'update',
        user: { username: `system:${who}`, groups: ['system:authenticated'] },
        sourceIPs: [CONTROL_PLANE_IP],
        userAgent: ua(who, '/leader-election'),
        objectRef: { resource: 'leases', namespace: 'kube-system', name: who, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' },
        code: 200,
        decision: 'allow',
        reason: rbacReason('ClusterRoleBinding', `system:${who}`, `system:${who}`, `User "system:${who}"`),
      };
    },
  },
  {
    // CoreDNS and Prometheus watches (long-running: a ResponseStarted stage)
    weight: 6,
    make: (rand, at, id) => {
      const prom = rand() < 0.5;
      const ns = prom ? pick(rand, ['shop', 'payments', 'monitoring']) : undefined;
      const resource = prom ? pick(rand, ['pods', 'endpoints', 'services']) : 'endpointslices';
      const group = resource === 'endpointslices' ? 'discovery.k8s.io' : '';
      const user = prom
        ? podSaUser('monitoring', 'prometheus-k8s', 'prometheus-k8s-0', 'ip-10-0-2-31')
        : podSaUser('kube-system', 'coredns', 'coredns-76f75df574-8lq2v', 'ip-10-0-1-21');
      return {
        auditID: id,
        at,
        duration: 300_000_000 + Math.floor(rand() * 200_000_000),
        started: true,
        requestURI: `${group ? `/apis/${group}/v1` : '/api/v1'}${ns ? `/namespaces/${ns}` : ''}/${resource}?allowWatchBookmarks=true&resourceVersion=48213${Math.floor(rand() * 100)}&timeout=7m1s&timeoutSeconds=421&watch=true`,
        verb: 'watch',
        user,
        sourceIPs: [prom ? '10.244.2.17' : '10.244.0.4'],
        userAgent: prom ? 'prometheus/2.51.1' : 'coredns/v0.0.0 (linux/amd64) kubernetes/$Format',
        objectRef: { resource, ...(ns ? { namespace: ns } : {}), ...(group ? { apiGroup: group } : {}), apiVersion: 'v1' },
        code: 200,
        decision: 'allow',
        reason: prom
          ? rbacReason('ClusterRoleBinding', 'prometheus-k8s', 'prometheus-k8s', 'ServiceAccount "prometheus-k8s/monitoring"')
          : rbacReason('ClusterRoleBinding', 'system:coredns', 'system:coredns', 'ServiceAccount "coredns/kube-system"'),
      };
    },
  },
  {
    // CI deploys: patch deployments with the manifest (RequestResponse: request and response objects)
    weight: 3,
    make: (rand, at, id) => {
      const app = pick(rand, ['frontend', 'cart', 'catalog']);
      const image = `registry.example.com/shop/${app}:1.${Math.floor(rand() * 40)}.${Math.floor(rand() * 10)}`;
      const template = podSpec(`${app}-x`, 'shop', image);
      return {
        auditID: id,
        at,
        duration: 8000 + Math.floor(rand() * 10000),
        level: 'RequestResponse',
        requestURI: `/apis/apps/v1/namespaces/shop/deployments/${app}?fieldManager=argocd-controller`,
        verb: 'patch',
        user: podSaUser('ci', 'argocd-application-controller', 'argocd-application-controller-0', 'ip-10-0-2-32'),
        sourceIPs: ['10.244.3.9'],
        userAgent: 'argocd-application-controller/v2.10.4+f8d6d3e (linux/amd64)',
        objectRef: { resource: 'deployments', namespace: 'shop', name: app, apiGroup: 'apps', apiVersion: 'v1' },
        code: 200,
        decision: 'allow',
        reason: rbacReason('RoleBinding', 'argocd-deployer', 'edit', 'ServiceAccount "argocd-application-controller/ci"', 'shop'),
        requestObject: { spec: { template: { spec: { containers: [{ name: app, image }] } } } },
        responseObject: {
          kind: 'Deployment',
          apiVersion: 'apps/v1',
          metadata: { name: app, namespace: 'shop', uid: fakeUid(app), resourceVersion: `48${Math.floor(rand() * 1e6)}`, generation: 14, labels: { app } },
          spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: (template.spec as object) }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
          status: { observedGeneration: 13, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
        },
      };
    },
  },
  {
    // humans with kubectl: gets, lists, logs
    weight: 4,
    make: (rand, at, id) => {
      const human = pick(rand, [
        { username: 'alice@example.com', groups: ['developers', 'system:authenticated'], ip: '192.0.2.15' },
        { username: 'bob@example.com', groups: ['sre', 'system:authenticated'], ip: '192.0.2.16' },
        { username: 'carol@example.com', groups: ['developers', 'system:authenticated'], ip: '192.0.2.44' },
      ]);
      const ns = pick(rand, ['shop', 'payments']);
      const pod = pick(rand, APP_PODS[ns]!);
      const [verb, resource, name, sub] = pick(rand, [
        ['list', 'pods', undefined, undefined],
        ['get', 'pods', pod, undefined],
        ['get', 'pods', pod, 'log'],
        ['list', 'deployments', undefined, undefined],
        ['list', 'events', undefined, undefined],
      ] as const);
      const group = resource === 'deployments' ? 'apps' : '';
      return {
        auditID: id,
        at,
        duration: 3000 + Math.floor(rand() * 20000),
        requestURI: `${group ? '/apis/apps/v1' : '/api/v1'}/namespaces/${ns}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}?container=${pod.split('-')[0]}` : verb === 'list' ? '?limit=500' : ''}`,
        verb,
        user: { username: human.username, groups: human.groups },
        sourceIPs: [human.ip],
        userAgent: `kubectl/${K8S_VERSION} (linux/amd64) kubernetes/${COMMIT.slice(0, 7)}`,
        objectRef: { resource, namespace: ns, ...(name ? { name } : {}), ...(group ? { apiGroup: group } : {}), apiVersion: 'v1', ...(sub ? { subresource: sub } : {}) },
        code: 200,
        decision: 'allow',
        reason: rbacReason('RoleBinding', `${human.groups[0]}-view`, 'view', `Group "${human.groups[0]}"`, ns),
      };
    },
  },
  {
    // scheduler binds new pods (Request level: the Binding object)
    weight: 1,
    make: (rand, at, id) => {
      const ns = pick(rand, ['shop', 'payments']);
      const pod = pick(rand, APP_PODS[ns]!);
      const node = pick(rand, NODES);
      return {
        auditID: id,
        at,
        duration: 4000,
        level: 'Request',
        requestURI: `/api/v1/namespaces/${ns}/pods/${pod}/binding`,
        verb: 'create',
        user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
        sourceIPs: [CONTROL_PLANE_IP],
        userAgent: ua('kube-scheduler', '/scheduler'),
        objectRef: { resource: 'pods', namespace: ns, name: pod, apiVersion: 'v1', subresource: 'binding' },
        code: 201,
        decision: 'allow',
        reason: rbacReason('ClusterRoleBinding', 'system:kube-scheduler', 'system:kube-scheduler', 'User "system:kube-scheduler"'),
        requestObject: { kind: 'Binding', apiVersion: 'v1', metadata: { name: pod, namespace: ns, uid: fakeUid(pod) }, target: { kind: 'Node', name: node } },
      };
    },
  },
  {
    // health checks of the load balancer: public, non-resource URLs
    weight: 2,
    make: (rand, at, id) => ({
      auditID: id,
      at,
      duration: 300,
      requestURI: pick(rand, ['/livez', '/readyz', '/healthz']),
      verb: 'get',
      user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      sourceIPs: ['10.0.0.2'],
      userAgent: 'kube-probe/1.29',
      code: 200,
      decision: 'allow',
      reason: rbacReason('ClusterRoleBinding', 'system:public-info-viewer', 'system:public-info-viewer', 'Group "system:unauthenticated"'),
    }),
  },
];

const TOTAL = ACTORS.reduce((n, a) => n + a.weight, 0);

/** One background request at `at` (microseconds). */
export function backgroundRequest(rand: () => number, at: number): AuditRequest {
  let r = rand() * TOTAL;
  for (const actor of ACTORS) {
    r -= actor.weight;
    if (r < 0) return actor.make(rand, at, uuid(rand));
  }
  return ACTORS[0]!.make(rand, at, uuid(rand));
}

export { APP_PODS, SECRETS_BY_NS, podSpec, saUser };
