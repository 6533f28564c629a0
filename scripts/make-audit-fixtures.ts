/**
 * Writes test/fixtures/audit/*.log: small Kubernetes API server audit logs, one scenario each,
 * for the audit.* rule cases. Events are written as kube-apiserver 1.29's log backend writes
 * them (see scripts/audit-log-writer.ts); lines of all requests are merged in stage-time order,
 * as the backend writes them.
 *
 *   npm run build && node dist/scripts/make-audit-fixtures.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuditRequest, type AuditUser, auditLines, execUri, forbiddenStatus, random, rbacReason, uuid } from './audit-log-writer.js';
import { K8S_VERSION, fakeUid, podSpec, saUser } from './audit-traffic.js';

const rand = random(7);
const T0 = Date.parse('2026-11-30T10:00:00Z') * 1000;
/** Microseconds at minute m, second s after 10:00:00Z, plus a sub-second part. */
const at = (m: number, s = 0, us = Math.floor(rand() * 999_999)) => T0 + (m * 60 + s) * 1_000_000 + us;

export const KUBECTL = `kubectl/${K8S_VERSION} (linux/amd64) kubernetes/55019c8`;
export const ATTACKER_IP = '198.51.100.23';
export const ADMIN: AuditUser = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
export const MALLORY: AuditUser = { username: 'mallory@example.com', groups: ['developers', 'system:authenticated'] };
export const BOB: AuditUser = { username: 'bob@example.com', groups: ['sre', 'system:authenticated'] };
export const ALICE: AuditUser = { username: 'alice@example.com', groups: ['developers', 'system:authenticated'] };
const ANONYMOUS: AuditUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const MASTERS_REASON = '';

/** Common request shapes. */
export function request(r: Partial<AuditRequest> & Pick<AuditRequest, 'at' | 'verb' | 'user' | 'requestURI'>): AuditRequest {
  return {
    auditID: uuid(rand),
    sourceIPs: ['192.0.2.10'],
    userAgent: KUBECTL,
    code: 200,
    decision: 'allow',
    reason: MASTERS_REASON,
    duration: 1000 + Math.floor(rand() * 20_000),
    ...r,
  };
}

export function resourceRequest(
  atUs: number,
  user: AuditUser,
  verb: string,
  resource: string,
  opts: { namespace?: string; name?: string; group?: string; sub?: string; code?: number; ip?: string; ua?: string; level?: AuditRequest['level']; body?: unknown; reason?: string; query?: string } = {},
): AuditRequest {
  const base = opts.group ? `/apis/${opts.group}/v1` : '/api/v1';
  const path = `${base}${opts.namespace ? `/namespaces/${opts.namespace}` : ''}/${resource}${opts.name ? `/${opts.name}` : ''}${opts.sub ? `/${opts.sub}` : ''}${opts.query ?? ''}`;
  const code = opts.code ?? (verb === 'create' ? 201 : 200);
  const denied = code === 403;
  return request({
    at: atUs,
    verb,
    user,
    requestURI: path,
    sourceIPs: [opts.ip ?? '192.0.2.10'],
    userAgent: opts.ua ?? KUBECTL,
    objectRef: {
      resource,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.group ? { apiGroup: opts.group } : {}),
      apiVersion: 'v1',
      ...(opts.sub ? { subresource: opts.sub } : {}),
    },
    code,
    decision: denied ? 'forbid' : 'allow',
    reason: opts.reason ?? '',
    ...(denied ? { status: forbiddenStatus(user.username ?? '', verb, resource, opts.group ?? '', opts.namespace, opts.name) } : {}),
    ...(opts.level ? { level: opts.level } : {}),
    ...(opts.body !== undefined ? { requestObject: opts.body } : {}),
  });
}

export function execRequest(atUs: number, user: AuditUser, namespace: string, pod: string, command: string[], container: string, opts: { ip?: string; sub?: 'exec' | 'attach'; seconds?: number } = {}): AuditRequest {
  return request({
    at: atUs,
    verb: 'create',
    user,
    requestURI: execUri(namespace, pod, command, container, command.length === 1, opts.sub ?? 'exec'),
    sourceIPs: [opts.ip ?? '192.0.2.10'],
    objectRef: { resource: 'pods', namespace, name: pod, apiVersion: 'v1', subresource: opts.sub ?? 'exec' },
    code: 101,
    started: true,
    duration: (opts.seconds ?? 30) * 1_000_000,
    reason: rbacReason('ClusterRoleBinding', 'developers-debug', 'debug-exec', `Group "${user.groups?.[0] ?? ''}"`),
  });
}

export function privilegedPod(name: string, namespace: string): Record<string, unknown> {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: {
      volumes: [{ name: 'host', hostPath: { path: '/', type: '' } }],
      containers: [
        {
          name: 'debugger',
          image: 'docker.io/library/alpine:3.19',
          command: ['sleep', '86400'],
          resources: {},
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
          securityContext: { privileged: true },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      hostNetwork: true,
      hostPID: true,
      securityContext: {},
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    },
    status: {},
  };
}

/** All stages of all requests, merged in stage-time order as the log backend writes them. */
export function logOf(requests: AuditRequest[]): string {
  const lines = requests.flatMap((r) => auditLines(r).map((line) => ({ line, t: stageTime(line) })));
  lines.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  return lines.map((l) => l.line).join('\n') + '\n';
}

function stageTime(line: string): string {
  const m = /"stageTimestamp":"([^"]+)"/.exec(line);
  return m ? m[1]! : '';
}

const frontend = (ip = '10.244.1.15', ua = 'frontend/v1.4.2 (linux/amd64) kubernetes/$Format') => ({ user: saUser('shop', 'frontend', { 'authentication.kubernetes.io/pod-name': ['frontend-6d8f9c7b5-x2k4q'], 'authentication.kubernetes.io/pod-uid': [fakeUid('frontend-6d8f9c7b5-x2k4q')] }), ip, ua });

export const FIXTURES: Record<string, AuditRequest[]> = {
  'anonymous-hit.log': [
    request({ at: at(2, 1), verb: 'get', user: ANONYMOUS, requestURI: '/version', sourceIPs: [ATTACKER_IP], userAgent: 'curl/8.5.0', reason: rbacReason('ClusterRoleBinding', 'system:public-info-viewer', 'system:public-info-viewer', 'Group "system:unauthenticated"') }),
    resourceRequest(at(2, 9), ANONYMOUS, 'list', 'secrets', { namespace: 'kube-system', code: 403, ip: ATTACKER_IP, ua: 'curl/8.5.0' }),
    resourceRequest(at(2, 14), ANONYMOUS, 'list', 'pods', { namespace: 'shop', ip: ATTACKER_IP, ua: 'curl/8.5.0', reason: rbacReason('ClusterRoleBinding', 'legacy-anonymous-view', 'view', 'User "system:anonymous"') }),
    request({
      at: at(3, 40),
      verb: 'list',
      user: {},
      requestURI: '/api/v1/namespaces/default/secrets',
      sourceIPs: ['203.0.113.9'],
      userAgent: 'python-requests/2.31.0',
      objectRef: { resource: 'secrets', namespace: 'default', apiVersion: 'v1' },
      code: 401,
      status: { status: 'Failure', message: 'Authentication failed, attempted: bearer', reason: 'Unauthorized' },
      decision: undefined,
      started: true,
      duration: 400,
      omitStages: ['RequestReceived'],
    }),
  ],
  'anonymous-miss.log': [
    ...['/livez', '/readyz', '/healthz', '/readyz/etcd'].map((path, i) =>
      request({ at: at(1, i * 5), verb: 'get', user: ANONYMOUS, requestURI: path, sourceIPs: ['10.0.0.2'], userAgent: 'kube-probe/1.29', reason: rbacReason('ClusterRoleBinding', 'system:public-info-viewer', 'system:public-info-viewer', 'Group "system:unauthenticated"') }),
    ),
    request({ at: at(1, 30), verb: 'get', user: ANONYMOUS, requestURI: '/.well-known/openid-configuration', sourceIPs: ['10.0.0.31'], userAgent: 'Go-http-client/1.1', reason: rbacReason('ClusterRoleBinding', 'system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', 'Group "system:unauthenticated"') }),
    resourceRequest(at(1, 40), ADMIN, 'list', 'pods', { namespace: 'shop' }),
  ],
  'sa-hit.log': [
    resourceRequest(at(5, 1), frontend().user, 'get', 'configmaps', { namespace: 'shop', name: 'app-config', ip: '10.244.1.15', ua: frontend().ua, reason: rbacReason('RoleBinding', 'frontend', 'frontend', 'ServiceAccount "frontend/shop"', 'shop') }),
    resourceRequest(at(5, 12), frontend().user, 'list', 'secrets', { namespace: 'shop', ip: ATTACKER_IP, ua: 'curl/8.5.0', reason: rbacReason('RoleBinding', 'frontend', 'frontend', 'ServiceAccount "frontend/shop"', 'shop') }),
    resourceRequest(at(5, 20), frontend().user, 'list', 'secrets', { namespace: 'kube-system', code: 403, ip: ATTACKER_IP, ua: 'curl/8.5.0' }),
    resourceRequest(at(5, 31), frontend().user, 'get', 'pods', { namespace: 'kube-system', code: 403, ip: ATTACKER_IP, ua: 'curl/8.5.0' }),
  ],
  'sa-miss.log': [
    resourceRequest(at(5, 1), frontend().user, 'get', 'configmaps', { namespace: 'shop', name: 'app-config', ip: '10.244.1.15', ua: frontend().ua }),
    resourceRequest(at(5, 3), frontend().user, 'get', 'secrets', { namespace: 'shop', name: 'catalog-api-key', ip: '10.244.1.15', ua: frontend().ua }),
    resourceRequest(at(5, 9), saUser('monitoring', 'prometheus-k8s'), 'list', 'pods', { namespace: 'shop', ip: '10.244.2.17', ua: 'prometheus/2.51.1' }),
    resourceRequest(at(5, 11), saUser('kube-system', 'replicaset-controller'), 'create', 'pods', { namespace: 'shop', ip: '10.0.0.10', ua: `kube-controller-manager/${K8S_VERSION} (linux/amd64) kubernetes/55019c8/system:serviceaccount:kube-system:replicaset-controller` }),
  ],
  'secrets-hit.log': [
    resourceRequest(at(10, 0), MALLORY, 'list', 'secrets', { ip: ATTACKER_IP, query: '?limit=500' }),
    ...Array.from({ length: 12 }, (_, i) => resourceRequest(at(11, i * 9), MALLORY, 'get', 'secrets', { namespace: 'payments', name: `payments-secret-${i + 1}`, ip: ATTACKER_IP })),
    resourceRequest(at(12, 5), saUser('ci', 'deployer'), 'list', 'secrets', { namespace: 'ci', ip: '10.244.3.9', ua: 'argocd-application-controller/v2.10.4+f8d6d3e (linux/amd64)' }),
  ],
  'secrets-miss.log': [
    ...Array.from({ length: 12 }, (_, i) => resourceRequest(at(10, i * 3), { username: 'system:node:ip-10-0-1-21', groups: ['system:nodes', 'system:authenticated'] }, 'get', 'secrets', { namespace: 'shop', name: `app-secret-${i}`, ip: '10.0.1.21', ua: `kubelet/${K8S_VERSION} (linux/amd64) kubernetes/55019c8` })),
    resourceRequest(at(10, 50), saUser('kube-system', 'tokens-controller'), 'list', 'secrets', { ip: '10.0.0.10', ua: `kube-controller-manager/${K8S_VERSION} (linux/amd64) kubernetes/55019c8/tokens-controller` }),
    resourceRequest(at(11, 0), ALICE, 'get', 'secrets', { namespace: 'shop', name: 'frontend-tls' }),
    resourceRequest(at(11, 5), ALICE, 'get', 'secrets', { namespace: 'shop', name: 'cart-db-credentials' }),
    resourceRequest(at(11, 9), ALICE, 'list', 'secrets', { namespace: 'payments', code: 403 }),
  ],
  'exec-hit.log': [
    resourceRequest(at(20, 0), MALLORY, 'create', 'pods', { namespace: 'default', name: 'node-debugger', ip: ATTACKER_IP, level: 'Request', body: privilegedPod('node-debugger', 'default'), reason: rbacReason('ClusterRoleBinding', 'developers-debug', 'debug-exec', 'Group "developers"') }),
    execRequest(at(21, 0), MALLORY, 'default', 'node-debugger', ['chroot', '/host', 'sh', '-c', 'cat /etc/kubernetes/admin.conf'], 'debugger', { ip: ATTACKER_IP }),
    execRequest(at(22, 0), MALLORY, 'shop', 'frontend-6d8f9c7b5-x2k4q', ['sh', '-c', 'id; env | grep -i token'], 'frontend', { ip: ATTACKER_IP }),
    request({
      at: at(23, 0),
      verb: 'create',
      user: MALLORY,
      requestURI: '/api/v1/namespaces/payments/pods/ledger-0/portforward',
      sourceIPs: [ATTACKER_IP],
      objectRef: { resource: 'pods', namespace: 'payments', name: 'ledger-0', apiVersion: 'v1', subresource: 'portforward' },
      code: 101,
      started: true,
      duration: 60_000_000,
    }),
    execRequest(at(24, 0), BOB, 'shop', 'cart-5b7c9d8f6-p4lqs', ['sh'], 'cart', { ip: '192.0.2.16' }),
  ],
  'exec-miss.log': [
    execRequest(at(20, 0), BOB, 'shop', 'cart-5b7c9d8f6-p4lqs', ['sh'], 'cart', { ip: '192.0.2.16' }),
    execRequest(at(1, 0), MALLORY, 'shop', 'frontend-6d8f9c7b5-x2k4q', ['ls'], 'frontend'),
    resourceRequest(at(21, 0), MALLORY, 'get', 'pods', { namespace: 'shop', name: 'frontend-6d8f9c7b5-x2k4q', sub: 'log', query: '?container=frontend' }),
  ],
  'correlate-miss.log': [
    resourceRequest(at(20, 0), ADMIN, 'create', 'pods', { namespace: 'kube-system', name: 'node-shell', level: 'Request', body: privilegedPod('node-shell', 'kube-system') }),
    execRequest(at(21, 0), BOB, 'kube-system', 'node-shell', ['sh'], 'debugger', { ip: '192.0.2.16' }),
    resourceRequest(at(22, 0), ALICE, 'create', 'pods', { namespace: 'shop', name: 'toolbox', level: 'Request', body: podSpec('toolbox', 'shop', 'registry.example.com/tools/toolbox:2.1') }),
    execRequest(at(22, 30), ALICE, 'shop', 'toolbox', ['sh'], 'toolbox', { ip: '192.0.2.15' }),
  ],
  'rapid-hit.log': [
    resourceRequest(at(30, 0), MALLORY, 'create', 'pods', { namespace: 'default', name: 'tmp-shell-5f7c', ip: ATTACKER_IP, level: 'Request', body: podSpec('tmp-shell-5f7c', 'default', 'docker.io/library/alpine:3.19') }),
    resourceRequest(at(31, 35), MALLORY, 'delete', 'pods', { namespace: 'default', name: 'tmp-shell-5f7c', ip: ATTACKER_IP }),
    resourceRequest(at(32, 0), MALLORY, 'create', 'clusterrolebindings', { name: 'tmp-admin', group: 'rbac.authorization.k8s.io', ip: ATTACKER_IP }),
    resourceRequest(at(32, 30), MALLORY, 'delete', 'clusterrolebindings', { name: 'tmp-admin', group: 'rbac.authorization.k8s.io', ip: ATTACKER_IP }),
  ],
  'rapid-miss.log': [
    resourceRequest(at(30, 0), saUser('kube-system', 'replicaset-controller'), 'create', 'pods', { namespace: 'shop', name: 'frontend-6d8f9c7b5-q8w2e', ip: '10.0.0.10' }),
    resourceRequest(at(30, 20), saUser('kube-system', 'replicaset-controller'), 'delete', 'pods', { namespace: 'shop', name: 'frontend-6d8f9c7b5-q8w2e', ip: '10.0.0.10' }),
    resourceRequest(at(30, 30), ALICE, 'create', 'configmaps', { namespace: 'shop', name: 'feature-flags' }),
    resourceRequest(at(150, 0), ALICE, 'delete', 'configmaps', { namespace: 'shop', name: 'feature-flags' }),
    resourceRequest(at(31, 0), ALICE, 'create', 'events', { namespace: 'shop', name: 'x.17c8e1' }),
    resourceRequest(at(31, 1), ALICE, 'delete', 'events', { namespace: 'shop', name: 'x.17c8e1' }),
  ],
  'privileged-hit.log': [
    resourceRequest(at(40, 0), MALLORY, 'create', 'pods', { namespace: 'default', name: 'node-debugger', ip: ATTACKER_IP, level: 'Request', body: privilegedPod('node-debugger', 'default') }),
    resourceRequest(at(41, 0), saUser('ci', 'deployer'), 'patch', 'daemonsets', {
      namespace: 'monitoring',
      name: 'node-agent',
      group: 'apps',
      ip: '10.244.3.9',
      ua: 'argocd-application-controller/v2.10.4+f8d6d3e (linux/amd64)',
      level: 'Request',
      body: { spec: { template: { spec: { hostNetwork: true, volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] } } } },
    }),
    {
      ...resourceRequest(at(42, 0), MALLORY, 'create', 'pods', { namespace: 'shop', name: 'escape', ip: ATTACKER_IP, level: 'Request', body: privilegedPod('escape', 'shop') }),
      code: 403,
      status: { status: 'Failure', message: 'pods "escape" is forbidden: violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true, hostPID=true), privileged (container "debugger" must not set securityContext.privileged=true)', reason: 'Forbidden', details: { name: 'escape', kind: 'pods' } },
      annotations: { 'pod-security.kubernetes.io/enforce-policy': 'restricted:latest' },
    },
  ],
  'privileged-miss.log': [
    resourceRequest(at(40, 0), ALICE, 'create', 'pods', { namespace: 'shop', name: 'toolbox', level: 'Request', body: podSpec('toolbox', 'shop', 'registry.example.com/tools/toolbox:2.1') }),
    resourceRequest(at(40, 5), saUser('kube-system', 'daemon-set-controller'), 'create', 'pods', { namespace: 'kube-system', name: 'kube-proxy-z9x8c', ip: '10.0.0.10', level: 'Request', body: privilegedPod('kube-proxy-z9x8c', 'kube-system') }),
  ],
  'rbac-hit.log': [
    resourceRequest(at(50, 0), MALLORY, 'create', 'clusterrolebindings', {
      name: 'system-monitoring',
      group: 'rbac.authorization.k8s.io',
      ip: ATTACKER_IP,
      level: 'RequestResponse',
      body: { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'system-monitoring', creationTimestamp: null }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'backdoor' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } },
    }),
    resourceRequest(at(50, 30), MALLORY, 'create', 'clusterroles', {
      name: 'pod-helper',
      group: 'rbac.authorization.k8s.io',
      ip: ATTACKER_IP,
      level: 'RequestResponse',
      body: { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'pod-helper', creationTimestamp: null }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['pods', 'pods/exec'] }] },
    }),
    resourceRequest(at(51, 0), saUser('ci', 'deployer'), 'create', 'rolebindings', { namespace: 'payments', name: 'deployer-admin', group: 'rbac.authorization.k8s.io', ip: '10.244.3.9', ua: 'argocd-application-controller/v2.10.4+f8d6d3e (linux/amd64)' }),
  ],
  'rbac-miss.log': [
    resourceRequest(at(50, 0), ALICE, 'create', 'rolebindings', {
      namespace: 'shop',
      name: 'carol-view',
      group: 'rbac.authorization.k8s.io',
      level: 'RequestResponse',
      body: { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'carol-view', namespace: 'shop' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'carol@example.com' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } },
    }),
    resourceRequest(at(50, 10), saUser('kube-system', 'clusterrole-aggregation-controller'), 'update', 'clusterroles', {
      name: 'admin',
      group: 'rbac.authorization.k8s.io',
      ip: '10.0.0.10',
      level: 'RequestResponse',
      body: { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'admin' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }] },
    }),
  ],
  'forbidden-hit.log': ['secrets', 'configmaps', 'pods', 'nodes', 'clusterroles', 'serviceaccounts', 'deployments', 'daemonsets', 'namespaces', 'persistentvolumes', 'roles', 'rolebindings', 'jobs', 'cronjobs', 'ingresses'].map((resource, i) =>
    resourceRequest(at(60, i * 2), frontend(ATTACKER_IP, 'curl/8.5.0').user, 'list', resource, { namespace: ['nodes', 'clusterroles', 'namespaces', 'persistentvolumes'].includes(resource) ? undefined : 'kube-system', code: 403, ip: ATTACKER_IP, ua: 'curl/8.5.0' }),
  ),
  'forbidden-miss.log': [
    ...Array.from({ length: 12 }, (_, i) => resourceRequest(at(60, i * 50), saUser('shop', 'cart'), 'list', 'endpoints', { namespace: 'shop', code: 403, ip: '10.244.1.22', ua: 'cart/v2.0.1 (linux/amd64) kubernetes/$Format' })),
    ...Array.from({ length: 8 }, (_, i) => resourceRequest(at(70, i * 3), ALICE, 'get', 'secrets', { namespace: 'payments', name: 'stripe-api-key', code: 403 })),
  ],
  'impersonation-hit.log': [
    { ...resourceRequest(at(70, 0), MALLORY, 'list', 'secrets', { namespace: 'kube-system', ip: ATTACKER_IP }), impersonatedUser: { username: 'system:admin', groups: ['system:masters'] } },
    resourceRequest(at(71, 0), MALLORY, 'create', 'serviceaccounts', {
      namespace: 'kube-system',
      name: 'clusterrole-aggregation-controller',
      sub: 'token',
      ip: ATTACKER_IP,
      level: 'Request',
      body: { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { audiences: null, expirationSeconds: 31536000, boundObjectRef: null }, status: { token: '', expirationTimestamp: null } },
    }),
  ],
  'impersonation-miss.log': [
    resourceRequest(at(70, 0), { username: 'system:node:ip-10-0-1-21', groups: ['system:nodes', 'system:authenticated'] }, 'create', 'serviceaccounts', { namespace: 'shop', name: 'frontend', sub: 'token', ip: '10.0.1.21', ua: `kubelet/${K8S_VERSION} (linux/amd64) kubernetes/55019c8` }),
    resourceRequest(at(70, 5), ADMIN, 'get', 'pods', { namespace: 'shop' }),
  ],
  'metadata-only.log': [
    resourceRequest(at(80, 0), ALICE, 'create', 'pods', { namespace: 'shop', name: 'toolbox' }),
    resourceRequest(at(80, 20), ALICE, 'get', 'pods', { namespace: 'shop', name: 'toolbox' }),
  ],
  'activity.log': [
    ...[ALICE, BOB, { username: 'carol@example.com', groups: ['developers', 'system:authenticated'] }, { username: 'dave@example.com', groups: ['sre', 'system:authenticated'] }, { username: 'erin@example.com', groups: ['developers', 'system:authenticated'] }].flatMap((user, u) =>
      Array.from({ length: 6 + u * 2 }, (_, i) => ({ ...resourceRequest(at(90 + u, i * 4), user, 'get', 'pods', { namespace: 'shop', name: 'frontend-6d8f9c7b5-x2k4q' }), omitStages: ['RequestReceived' as const] })),
    ),
    ...Array.from({ length: 90 }, (_, i) => ({ ...resourceRequest(at(100, i), MALLORY, 'get', i % 2 ? 'configmaps' : 'pods', { namespace: ['shop', 'payments', 'kube-system'][i % 3], name: `object-${i}`, ip: ATTACKER_IP, code: i % 3 === 2 ? 403 : 200 }), omitStages: ['RequestReceived' as const] })),
  ],
  // Argo CD's application controller syncing apps into other namespaces, allowed by its own
  // ClusterRoleBinding (last in the list: the generator's random sequence of the others is kept).
  'sa-operator.log': ((argocd = saUser('argocd', 'argocd-application-controller'), ua = 'argocd-application-controller/v2.10.4+f8d6d3e (linux/amd64)') => {
    const reason = rbacReason('ClusterRoleBinding', 'argocd-application-controller', 'argocd-application-controller', 'ServiceAccount "argocd-application-controller/argocd"');
    return [
      resourceRequest(at(110, 2), argocd, 'get', 'secrets', { namespace: 'shop', name: 'frontend-tls', ip: '10.244.2.31', ua, reason }),
      resourceRequest(at(110, 3), argocd, 'create', 'deployments', { namespace: 'shop', name: 'cart', ip: '10.244.2.31', ua, reason }),
      resourceRequest(at(110, 5), argocd, 'create', 'rolebindings', { namespace: 'payments', name: 'ledger-reader', ip: '10.244.2.31', ua, reason }),
    ];
  })(),
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'test', 'fixtures', 'audit');
  mkdirSync(dir, { recursive: true });
  for (const [name, requests] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), logOf(requests));
  process.stdout.write(`wrote ${Object.keys(FIXTURES).length} fixtures to ${dir}\n`);
}
