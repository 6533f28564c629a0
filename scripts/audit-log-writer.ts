/**
 * Writes Kubernetes API server audit events (audit.k8s.io/v1) exactly as kube-apiserver's log
 * backend does: one JSON object per line, fields in the Go struct's order, Go's HTML-safe string
 * escaping (& < > as \u0026 \u003c \u003e), RFC 3339 times with microseconds, one line per stage
 * (RequestReceived, then ResponseStarted for long-running requests, then ResponseComplete;
 * authorization annotations appear from the stage after authorization). Used by the fixture
 * and sample-bundle scripts and by the benchmark's generator; never by the analyser.
 */

export interface AuditUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectRef {
  resource: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

export interface AuditRequest {
  auditID: string;
  /** requestReceivedTimestamp, microseconds since the epoch. */
  at: number;
  /** Microseconds from receipt to ResponseComplete (and to ResponseStarted for long-running ones). */
  duration?: number;
  level?: 'Metadata' | 'Request' | 'RequestResponse';
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: ObjectRef;
  code: number;
  /** Failure status fields (status, message, reason, details) for codes >= 400. */
  status?: { status?: string; message?: string; reason?: string; details?: Record<string, unknown> };
  requestObject?: unknown;
  responseObject?: unknown;
  /** authorization.k8s.io/decision; omitted for requests that failed authentication. */
  decision?: 'allow' | 'forbid';
  reason?: string;
  annotations?: Record<string, string>;
  /** Long-running (exec, attach, portforward, watch, failed authentication): a ResponseStarted stage. */
  started?: boolean;
  /** Stages left out by the audit policy (omitStages). */
  omitStages?: ('RequestReceived' | 'ResponseStarted' | 'ResponseComplete')[];
}

/** RFC 3339 with microseconds, as Go's metav1.MicroTime marshals. */
export function microTime(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = Math.round(micros - seconds * 1_000_000);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}

/** JSON as Go's encoding/json writes it (HTML-safe escaping). */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/&/g, '\\u0026')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The lines kube-apiserver writes for one request, in stage order. */
export function auditLines(r: AuditRequest): string[] {
  const level = r.level ?? 'Metadata';
  const duration = r.duration ?? 2_000;
  const stages: { stage: string; at: number }[] = [{ stage: 'RequestReceived', at: r.at }];
  if (r.started) stages.push({ stage: 'ResponseStarted', at: r.at + Math.min(duration, 900) });
  stages.push({ stage: 'ResponseComplete', at: r.at + duration });
  const lines: string[] = [];
  for (const { stage, at } of stages) {
    if (r.omitStages?.includes(stage as 'RequestReceived')) continue;
    const received = stage === 'RequestReceived';
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID: r.auditID,
      stage,
      requestURI: r.requestURI,
      verb: r.verb,
      user: r.user,
    };
    if (r.impersonatedUser) event.impersonatedUser = r.impersonatedUser;
    event.sourceIPs = r.sourceIPs;
    if (r.userAgent !== undefined) event.userAgent = r.userAgent;
    if (r.objectRef) event.objectRef = r.objectRef;
    if (!received) event.responseStatus = { metadata: {}, ...(r.code >= 400 ? r.status ?? {} : {}), code: r.code };
    if (level !== 'Metadata' && r.requestObject !== undefined) event.requestObject = r.requestObject;
    if (level === 'RequestResponse' && !received && r.responseObject !== undefined) event.responseObject = r.responseObject;
    event.requestReceivedTimestamp = microTime(r.at);
    event.stageTimestamp = microTime(at);
    const annotations: Record<string, string> = {};
    if (!received && r.decision) {
      annotations['authorization.k8s.io/decision'] = r.decision;
      annotations['authorization.k8s.io/reason'] = r.reason ?? '';
    }
    if (!received) Object.assign(annotations, r.annotations ?? {});
    if (Object.keys(annotations).length > 0) event.annotations = annotations;
    lines.push(goJson(event));
  }
  return lines;
}

/** kubectl's exec requestURI: Go's url.Values.Encode sorts keys and form-encodes values. */
export function execUri(namespace: string, pod: string, command: string[], container: string, tty = false, subresource = 'exec'): string {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [
    ...command.map((c) => `command=${form(c)}`),
    `container=${form(container)}`,
    'stderr=true',
    'stdin=true',
    'stdout=true',
    `tty=${tty}`,
  ].join('&');
  return `/api/v1/namespaces/${namespace}/pods/${pod}/${subresource}?${query}`;
}

/** RBAC's reason annotation for an allowed request. */
export function rbacReason(kind: 'ClusterRoleBinding' | 'RoleBinding', binding: string, role: string, subject: string, namespace?: string): string {
  const roleKind = kind === 'ClusterRoleBinding' || !namespace ? 'ClusterRole' : 'Role';
  const where = kind === 'RoleBinding' && namespace ? ` in namespace "${namespace}"` : '';
  return `RBAC: allowed by ${kind} "${binding}" of ${roleKind} "${role}" to ${subject}${where}`;
}

/** The Status message kube-apiserver returns for an RBAC denial. */
export function forbiddenStatus(username: string, verb: string, resource: string, apiGroup: string, namespace?: string, name?: string): AuditRequest['status'] {
  const target = name ? `${resource} "${name}"` : resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return {
    status: 'Failure',
    message: `${target} is forbidden: User "${username}" cannot ${verb} resource "${resource}" in API group "${apiGroup}" ${scope}`,
    reason: 'Forbidden',
    details: { ...(name ? { name } : {}), kind: resource },
  };
}

/** A deterministic pseudo-random generator (mulberry32), so generated logs are reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4 UUID from the generator (kube-apiserver's auditIDs are UUIDs). */
export function uuid(rand: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
}
