import { z } from 'zod';
import { parseMicros } from './time.js';

/**
 * The fields of one audit event that rules use, whatever wrapper it came in: kube-apiserver's
 * own audit.k8s.io/v1 (and v1beta1) Event, AKS diagnostic logs (`properties.log`, a JSON string
 * or object) and GKE Cloud Audit Logs (`protoPayload`).
 */
export interface AuditFields {
  auditId: string;
  stage: Stage;
  level: number;
  /** requestReceivedTimestamp in microseconds. */
  received: number;
  /** requestReceivedTimestamp as written: with auditId, the identity of the request. */
  receivedText: string;
  verb: string | null;
  username: string | null;
  groups: string | null;
  impersonated: string | null;
  sourceIps: string | null;
  userAgent: string | null;
  namespace: string | null;
  resource: string | null;
  subresource: string | null;
  apiGroup: string | null;
  name: string | null;
  requestUri: string | null;
  code: number | null;
  decision: string | null;
  reason: string | null;
  requestObject: unknown;
  /** The event had a requestObject that was not read because no rule needs it. */
  requestObjectDropped?: boolean;
  format: 'k8s' | 'aks' | 'gke';
}

export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = 0 | 1 | 2 | 3;
export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;

// The schema of the fields we read (loose: everything else the API server adds is kept in the
// file and never a reason to reject an event). The hot path checks the same types inline; this
// schema explains a rejection.
const Strings = z.array(z.string()).nullish();
export const AuditEventSchema = z.looseObject({
  apiVersion: z.string().regex(/^audit\.k8s\.io\/v1(beta1)?$/).nullish(),
  kind: z.literal('Event').nullish(),
  level: z.enum(LEVELS),
  auditID: z.string().min(1),
  stage: z.enum(STAGES),
  requestURI: z.string().nullish(),
  verb: z.string().nullish(),
  user: z.looseObject({ username: z.string().nullish(), groups: Strings }).nullish(),
  impersonatedUser: z.looseObject({ username: z.string().nullish(), groups: Strings }).nullish(),
  sourceIPs: Strings,
  userAgent: z.string().nullish(),
  objectRef: z
    .looseObject({
      resource: z.string().nullish(),
      subresource: z.string().nullish(),
      namespace: z.string().nullish(),
      name: z.string().nullish(),
      apiGroup: z.string().nullish(),
    })
    .nullish(),
  responseStatus: z.looseObject({ code: z.number().nullish() }).nullish(),
  requestReceivedTimestamp: z.string().nullish(),
  timestamp: z.string().nullish(),
  stageTimestamp: z.string().nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

const GkeEntrySchema = z.looseObject({
  protoPayload: z.looseObject({
    methodName: z.string(),
    resourceName: z.string().nullish(),
    authenticationInfo: z.looseObject({ principalEmail: z.string().nullish() }).nullish(),
    requestMetadata: z.looseObject({ callerIp: z.string().nullish(), callerSuppliedUserAgent: z.string().nullish() }).nullish(),
    status: z.looseObject({ code: z.number().nullish(), message: z.string().nullish() }).nullish(),
    authorizationInfo: z.array(z.looseObject({ granted: z.boolean().nullish() })).nullish(),
  }),
  timestamp: z.string(),
  insertId: z.string().nullish(),
  operation: z.looseObject({ id: z.string().nullish(), first: z.boolean().nullish(), last: z.boolean().nullish() }).nullish(),
});

export type Normalised = { ok: true; fields: AuditFields } | { ok: false; problem: string; detail: string };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);

function joined(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.length === 1 ? str(v[0]) : v.filter((x) => typeof x === 'string').join(',');
}

function stageOf(v: unknown): Stage | -1 {
  switch (v) {
    case 'ResponseComplete':
      return 2;
    case 'RequestReceived':
      return 0;
    case 'ResponseStarted':
      return 1;
    case 'Panic':
      return 3;
    default:
      return -1;
  }
}

function levelOf(v: unknown): number {
  switch (v) {
    case 'Metadata':
      return 1;
    case 'Request':
      return 2;
    case 'RequestResponse':
      return 3;
    case 'None':
      return 0;
    default:
      return -1;
  }
}

/** Any parsed line: native event, AKS record or GKE entry. */
export function normalise(value: unknown): Normalised {
  const o = obj(value);
  if (!o) return { ok: false, problem: 'not-an-event', detail: 'line is not a JSON object' };
  if (typeof o.auditID === 'string' || o.kind === 'Event') return fromNative(o, 'k8s');
  const properties = obj(o.properties);
  if (properties && 'log' in properties) {
    let log: unknown = properties.log;
    if (typeof log === 'string') {
      try {
        log = JSON.parse(log);
      } catch {
        return { ok: false, problem: 'parse-error', detail: 'AKS record whose properties.log is not JSON' };
      }
    }
    const inner = obj(log);
    if (!inner) return { ok: false, problem: 'not-an-event', detail: 'AKS record whose properties.log is not an object' };
    return fromNative(inner, 'aks');
  }
  if (obj(o.protoPayload)) return fromGke(o);
  return { ok: false, problem: 'not-an-event', detail: 'JSON object without auditID, properties.log or protoPayload' };
}

/** kube-apiserver's Event (v1; v1beta1 has `timestamp` and the same fields otherwise). */
export function fromNative(e: Obj, format: 'k8s' | 'aks'): Normalised {
  const auditId = str(e.auditID);
  const stage = stageOf(e.stage);
  const level = levelOf(e.level);
  const receivedText = str(e.requestReceivedTimestamp ?? e.timestamp);
  const received = parseMicros(receivedText);
  if (receivedText === null || auditId === null || auditId === '' || stage === -1 || level === -1 || received === null) return rejected(e);
  const user = obj(e.user);
  const impersonated = obj(e.impersonatedUser);
  const ref = obj(e.objectRef);
  const status = obj(e.responseStatus);
  const annotations = obj(e.annotations);
  return {
    ok: true,
    fields: {
      auditId,
      stage,
      level,
      received,
      receivedText,
      verb: str(e.verb),
      username: user ? str(user.username) : null,
      groups: user ? joined(user.groups) : null,
      impersonated: impersonated ? str(impersonated.username) : null,
      sourceIps: joined(e.sourceIPs),
      userAgent: str(e.userAgent),
      namespace: ref ? str(ref.namespace) : null,
      resource: ref ? str(ref.resource) : null,
      subresource: ref ? str(ref.subresource) : null,
      apiGroup: ref ? str(ref.apiGroup) : null,
      name: ref ? str(ref.name) : null,
      requestUri: str(e.requestURI),
      code: status && typeof status.code === 'number' ? status.code : null,
      decision: annotations ? str(annotations['authorization.k8s.io/decision']) : null,
      reason: annotations ? str(annotations['authorization.k8s.io/reason']) : null,
      requestObject: e.requestObject,
      format,
    },
  };
}

function rejected(e: Obj): Normalised {
  const parsed = AuditEventSchema.safeParse(e);
  const first = parsed.success
    ? 'requestReceivedTimestamp is not an RFC 3339 time'
    : z.prettifyError(parsed.error).split('\n').slice(0, 2).join(' ');
  return { ok: false, problem: 'schema', detail: `not an audit event: ${first}` };
}

/** google.rpc.Code → the HTTP status kube-apiserver would have logged. */
const GRPC_TO_HTTP: Record<number, number> = { 0: 200, 3: 400, 5: 404, 6: 409, 7: 403, 9: 400, 10: 409, 16: 401, 8: 429, 4: 504, 13: 500, 14: 503 };

/**
 * GKE Cloud Audit Logs entry for the Kubernetes API (serviceName k8s.io): methodName is
 * io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>, resourceName is
 * <group>/<version>/namespaces/<ns>/<resource>/<name>[/<subresource>].
 */
function fromGke(entry: Obj): Normalised {
  const parsed = GkeEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, problem: 'schema', detail: `not a GKE audit entry: ${z.prettifyError(parsed.error).split('\n').slice(0, 2).join(' ')}` };
  const p = parsed.data.protoPayload;
  const received = parseMicros(parsed.data.timestamp);
  if (received === null) return { ok: false, problem: 'schema', detail: 'GKE audit entry without an RFC 3339 timestamp' };
  const method = p.methodName.split('.');
  let verb: string | null = null;
  let resource: string | null = null;
  let subresource: string | null = null;
  let apiGroup: string | null = null;
  if (method[0] === 'io' && method[1] === 'k8s' && method.length >= 6) {
    verb = method[method.length - 1]!;
    apiGroup = method[2] === 'core' ? '' : method[2]!;
    resource = method[4]!;
    subresource = method.length > 6 ? method.slice(5, -1).join('/') : null;
  } else verb = method[method.length - 1] ?? null;
  let namespace: string | null = null;
  let name: string | null = null;
  const parts = (p.resourceName ?? '').split('/');
  const nsAt = parts.indexOf('namespaces');
  if (nsAt >= 0 && parts.length > nsAt + 2) {
    namespace = parts[nsAt + 1] ?? null;
    name = parts[nsAt + 3] ?? null;
  } else if (resource && parts.length >= 4 && parts[2] === resource) name = parts[3] ?? null;
  const granted = p.authorizationInfo?.[0]?.granted;
  const request = (entry.protoPayload as Obj).request;
  const code = GRPC_TO_HTTP[p.status?.code ?? 0] ?? 500;
  return {
    ok: true,
    fields: {
      auditId: parsed.data.operation?.id ?? parsed.data.insertId ?? `${parsed.data.timestamp}/${p.methodName}`,
      stage: 2,
      level: request === undefined ? 1 : 2,
      received,
      receivedText: parsed.data.timestamp,
      verb,
      username: p.authenticationInfo?.principalEmail ?? null,
      groups: null,
      impersonated: null,
      sourceIps: p.requestMetadata?.callerIp ?? null,
      userAgent: p.requestMetadata?.callerSuppliedUserAgent ?? null,
      namespace,
      resource,
      subresource,
      apiGroup,
      name,
      requestUri: p.resourceName ?? null,
      code,
      decision: granted === true ? 'allow' : granted === false ? 'forbid' : null,
      reason: null,
      requestObject: request,
      format: 'gke',
    },
  };
}

export interface ExecRequest {
  command: string[];
  container: string | null;
  tty: boolean;
  stdin: boolean;
  ports: string | null;
}

/**
 * What an exec / attach / portforward / node proxy request ran, from its requestURI:
 * `/api/v1/namespaces/ns/pods/p/exec?command=sh&command=-c&command=id&container=c&tty=true`.
 * Query values are form-encoded by kubectl (`+` is a space).
 */
export function decodeExecUri(uri: string | null): ExecRequest {
  const q = uri === null ? -1 : uri.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : uri!.slice(q + 1));
  return {
    command: params.getAll('command'),
    container: params.get('container'),
    tty: params.get('tty') === 'true' || params.get('tty') === '1',
    stdin: params.get('stdin') === 'true' || params.get('stdin') === '1',
    ports: params.getAll('ports').join(',') || null,
  };
}

/** Resources whose requestObject a rule inspects (pod specs, pod templates, RBAC, token requests). */
export const OBJECT_RESOURCES = new Set([
  'pods',
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'replicationcontrollers',
  'jobs',
  'cronjobs',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
]);

export const WRITE_VERBS = new Set(['create', 'update', 'patch']);
