import { defineRule, type FindingRow } from '../../src/engine/rule.js';

/**
 * Sources whose absence leaves a blind spot, and what each would have shown. `kubernetes`
 * sources only count as missing when the evidence shows a Kubernetes environment.
 */
const SOURCES: { source: string; kinds: string[]; hides: string; kubernetes?: boolean }[] = [
  {
    source: 'container runtime inventory (docker / crictl / ctr inspect)',
    kinds: ['docker-inspect', 'crictl-inspect', 'ctr-container-info'],
    hides: 'which containers exist and how they are configured: privileges, mounts, namespaces',
  },
  {
    source: 'process namespaces and cgroups (/proc)',
    kinds: ['proc-ns', 'proc-cgroup'],
    hides: 'escape indicators: processes in container cgroups running in host namespaces',
  },
  {
    source: 'eBPF runtime events (Falco, Tetragon, Tracee)',
    kinds: ['falco-alerts', 'tetragon-events', 'tracee-events'],
    hides: 'what actually ran inside containers: shells, downloads, sensitive file access during the incident',
  },
  {
    source: 'Kubernetes workloads (kubectl get pods -o json)',
    kinds: ['k8s-pods'],
    hides: 'pod specs: privileged pods, hostPath mounts, service-account tokens',
    kubernetes: true,
  },
  {
    source: 'Kubernetes RBAC (roles and bindings)',
    kinds: ['k8s-rbac'],
    hides: 'who can read secrets, exec into pods or escalate privileges',
    kubernetes: true,
  },
  {
    source: 'API server audit log',
    kinds: ['k8s-audit'],
    hides: 'who did what through the API: exec into pods, secret reads, RBAC changes, anonymous access',
    kubernetes: true,
  },
  {
    source: 'etcd (flags, snapshot or key listing)',
    kinds: ['etcd-snapshot', 'etcd-keys', 'static-pod-manifest', 'component-cmdline'],
    hides: 'whether Secrets are encrypted at rest and whether etcd is exposed to the network',
    kubernetes: true,
  },
];

export default defineRule({
  meta: {
    id: 'evidence.coverage-gap',
    title: 'Evidence source absent',
    severity: 'INFO',
    group: 'evidence',
    attack: [],
    description:
      'A source of evidence is absent from every input. Rules that depend on it could not fire, so the absence of findings in that area means "not seen", not "clean". The report says what each missing source would have shown.',
    remediation: 'Collect the missing source if the environment still exists (collect.sh collects it when the tool and permissions are available), or record the gap in the case notes.',
  },
  run({ db }) {
    const kinds = new Set((db.prepare("select distinct kind from files where status <> 'missing'").all() as { kind: string }[]).map((r) => r.kind));
    // Only collect.sh bundles (meta.env present) say what the host offered; a hand-picked file
    // is partial by choice and its analyst knows what was left out.
    const inputs = db
      .prepare("select id, path, host from inputs where id in (select input_id from bundle_meta where key = 'CF_BUNDLE_FORMAT') order by id")
      .all() as { id: number; path: string; host: string | null }[];
    if (inputs.length === 0) return [];
    const kubernetes =
      [...kinds].some((k) => k.startsWith('k8s-') || k === 'crictl-inspect' || k === 'static-pod-manifest') ||
      db.prepare("select 1 from bundle_meta where key = 'ENV_KUBERNETES' and value = 'yes' limit 1").get() !== undefined;
    const meta = db.prepare("select file_id, locator from bundle_meta where key = 'CF_BUNDLE_FORMAT' order by input_id limit 1").get() as
      | { file_id: number; locator: string }
      | undefined;
    const rows: FindingRow[] = [];
    for (const s of SOURCES) {
      if (s.kubernetes && !kubernetes) continue;
      if (s.kinds.some((k) => kinds.has(k))) continue;
      rows.push({
        subject_kind: 'source',
        subject_name: s.source,
        subject_host: inputs.length === 1 ? inputs[0]!.host : null,
        reason: `no ${s.source} in ${inputs.length === 1 ? inputs[0]!.path : `any of ${inputs.length} inputs`}: not visible — ${s.hides}`,
        file_id: meta?.file_id ?? null,
        locator: meta?.locator ?? null,
      });
    }
    return rows;
  },
});
