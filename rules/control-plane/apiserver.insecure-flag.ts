import type Database from 'better-sqlite3';
import { defineRule, type EvidenceRef, type FindingRow, type Severity } from '../../src/engine/rule.js';
import { componentInstances, configFileNote, describeSetting, givenSettingsEvidence, isTrue, parseUrlList, seenAs, type ComponentInstance, type Setting } from '../../src/ingest/control-plane/settings.js';

/** `v1.19.16` → [1, 19]; null when the version is unknown. */
function minor(version: string | null): number | null {
  const m = /^v?1\.(\d+)\./.exec(version ?? '');
  return m ? Number(m[1]) : null;
}

function list(setting: Setting | undefined): string[] {
  return setting ? setting.value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

/** A binding that gives anonymous requests (system:anonymous, system:unauthenticated) a role. */
interface AnonymousGrant {
  binding: string;
  file_id: number;
  locator: string;
}

/**
 * The bindings of the bundle's RBAC that reach anonymous requests beyond the built-in ones
 * (system:public-info-viewer, kubeadm's cluster-info in kube-public); null when the bundle holds
 * no RBAC to tell.
 */
function anonymousGrants(db: Database.Database): AnonymousGrant[] | null {
  if (!db.prepare('select 1 from k8s_bindings limit 1').get()) return null;
  return db
    .prepare(
      `select distinct binding_kind || ' ' || coalesce(binding_namespace || '/', '') || binding_name || ' → ' || role_kind || ' ' || role_name as binding,
              binding_file_id as file_id, binding_locator as locator
         from k8s_subject_bindings
        where not builtin
          and ((subject_kind = 'User' and subject_name = 'system:anonymous') or (subject_kind = 'Group' and subject_name = 'system:unauthenticated'))
        order by binding`,
    )
    .all() as AnonymousGrant[];
}

export default defineRule({
  meta: {
    id: 'apiserver.insecure-flag',
    title: 'kube-apiserver started with insecure flags',
    severity: 'SUSPICIOUS',
    group: 'control-plane',
    attack: ['T1078.001'],
    description:
      'kube-apiserver flags decide who is served and what they may do. anonymous-auth (true by default) serves unauthenticated requests as system:anonymous, and any binding that grants it access becomes public (INFO when the bundle\'s RBAC grants it only the built-in health, version and cluster-info bindings, SUSPICIOUS when it grants more or cannot tell); authorization-mode AlwaysAllow (the default when no mode is given) makes every authenticated identity, every pod\'s service-account token included, a cluster administrator; an insecure port serves the API over HTTP with no authentication or authorisation at all; static token files, AlwaysAdmit, a missing NodeRestriction or pod-security admission, plaintext etcd, unverified kubelet certificates and profiling widen the attack surface. A missing audit log is reported by apiserver.audit-disabled.',
    remediation:
      'Start kube-apiserver as kubeadm does and harden further: --anonymous-auth=false (or keep RBAC bindings of system:anonymous to the health endpoints), --authorization-mode=Node,RBAC, no insecure port, --enable-admission-plugins with NodeRestriction and PodSecurity, https etcd with client certificates, --kubelet-certificate-authority, --profiling=false, no --token-auth-file. If a red-flag setting was live during the incident, assume cluster-admin compromise.',
    falsePositives: 'Lab clusters; managed control planes whose flags differ from what a static manifest says (check the running process).',
  },
  run({ db }) {
    const rows: FindingRow[] = [];
    const apis = componentInstances(db, 'kube-apiserver');
    const anonymous = apis.length > 0 ? anonymousGrants(db) : null;
    for (const api of apis) rows.push(...check(api, anonymous));
    return rows;
  },
});

function check(api: ComponentInstance, anonymousRbac: AnonymousGrant[] | null): FindingRow[] {
  const rows: FindingRow[] = [];
  const s = (name: string) => api.settings.get(name);
  const version = minor(api.version);
  const note = configFileNote(api);
  /** `evidence`: more pointers than the setting itself (other given settings, RBAC bindings). */
  const add = (key: string, setting: Setting | undefined, reason: string, severity: Severity = 'SUSPICIOUS', redFlag = false, evidence: EvidenceRef[] = []) => {
    const at = setting ?? { file_id: api.file_id, locator: api.locator };
    rows.push({
      subject_kind: 'component',
      subject_name: 'kube-apiserver',
      subject_host: api.host,
      key,
      severity,
      red_flag: redFlag,
      reason: `${seenAs(api)}: ${reason}${note}`,
      file_id: at.file_id,
      locator: at.locator,
      evidence,
    });
  };

  // Authorisation: AlwaysAllow anywhere in the chain allows whatever the others did not deny,
  // and RBAC never denies. With --authorization-config (1.29+) the chain is in a file.
  const authzConfig = s('authorization-config');
  const mode = s('authorization-mode');
  const alwaysAllow = !authzConfig && list(mode).includes('AlwaysAllow');
  if (alwaysAllow) {
    add('authorization-mode', mode, `${describeSetting('authorization-mode', mode)}: every authenticated identity, each pod's service-account token included, may do anything (red flag: cluster-admin for all)`, 'SUSPICIOUS', true);
  }

  const anonymous = s('anonymous-auth');
  // With --authentication-config (1.30+) anonymous access is configured in that file instead.
  const anonymousInFile = s('authentication-config') !== undefined && anonymous?.isDefault === true;
  if (isTrue(anonymous) && !anonymousInFile) {
    const served = `${describeSetting('anonymous-auth', anonymous)}: unauthenticated requests are served as system:anonymous`;
    if (alwaysAllow) {
      add('anonymous-auth', anonymous, `${describeSetting('anonymous-auth', anonymous)} with AlwaysAllow authorisation: unauthenticated requests are served as cluster-admin (red flag)`, 'SUSPICIOUS', true, givenSettingsEvidence([mode]));
    } else if (anonymousRbac === null) {
      add('anonymous-auth', anonymous, `${served}; whatever RBAC grants it is public (the bundle holds no RBAC to say what that is)`);
    } else if (anonymousRbac.length > 0) {
      const shown = anonymousRbac.slice(0, 5).map((g) => g.binding).join('; ');
      const others = anonymousRbac.length > 5 ? ` and ${anonymousRbac.length - 5} more` : '';
      add('anonymous-auth', anonymous, `${served}, and RBAC grants it more than the built-in bindings: ${shown}${others}`, 'SUSPICIOUS', false, anonymousRbac.slice(0, 5));
    } else {
      // A kubeadm default: anonymous requests reach only /healthz, /version and kube-public's cluster-info.
      add('anonymous-auth', anonymous, `${served}; the bundle's RBAC grants it only the built-in bindings (health, version, kube-public cluster-info)`, 'INFO');
    }
  }

  // The insecure port (removed in 1.24; on 127.0.0.1:8080 by default before 1.20).
  const insecurePort = s('insecure-port') ?? s('port');
  const bind = s('insecure-bind-address') ?? s('address');
  if (insecurePort && insecurePort.value !== '0') {
    const host = bind?.value ?? '127.0.0.1';
    const remote = !parseUrlList(`http://${host.includes(':') ? `[${host}]` : host}`)[0]!.local;
    add(
      'insecure-port',
      insecurePort,
      `${describeSetting(insecurePort === s('port') ? 'port' : 'insecure-port', insecurePort)} on ${host}${bind ? '' : ' (default bind address)'}: the API is served over HTTP with no authentication and no authorisation${remote ? ' to the network (red flag: anyone who reaches it is cluster-admin)' : ' to every process of the node'}`,
      'SUSPICIOUS',
      remote,
      givenSettingsEvidence([bind]),
    );
  } else if (!insecurePort && version !== null && version < 20) {
    add('insecure-port', undefined, `Kubernetes 1.${version} without --insecure-port=0: the unauthenticated HTTP port 127.0.0.1:8080 is open by default to every process of the node`);
  }

  // Static credentials.
  for (const name of ['token-auth-file', 'basic-auth-file']) {
    const file = s(name);
    if (file) add(name, file, `${describeSetting(name, file)}: static credentials that never expire and cannot be revoked without a restart`);
  }
  const lookup = s('service-account-lookup');
  if (lookup && !isTrue(lookup)) add('service-account-lookup', lookup, `${describeSetting('service-account-lookup', lookup)}: tokens of deleted service accounts stay valid`);

  // Admission.
  const enabled = [...list(s('enable-admission-plugins')), ...list(s('admission-control'))];
  const disabled = list(s('disable-admission-plugins'));
  const admissionAt = s('enable-admission-plugins') ?? s('admission-control');
  if (enabled.includes('AlwaysAdmit')) add('admission-always-admit', admissionAt, 'AlwaysAdmit admission plugin enabled: admission control lets everything through');
  if (!enabled.includes('NodeRestriction') || disabled.includes('NodeRestriction')) {
    add('admission-node-restriction', admissionAt ?? s('disable-admission-plugins'), 'NodeRestriction admission plugin not enabled: a kubelet credential (e.g. from an escaped container) can modify other nodes and their pods');
  }
  const podSecurityDefault = version === null || version >= 23; // PodSecurity is on by default from 1.23
  const podSecurity =
    (enabled.includes('PodSecurity') || (podSecurityDefault && !disabled.includes('PodSecurity'))) ||
    (enabled.includes('PodSecurityPolicy') && !disabled.includes('PodSecurityPolicy'));
  if (!podSecurity) {
    add(
      'admission-pod-security',
      disabled.includes('PodSecurity') ? s('disable-admission-plugins') : admissionAt,
      disabled.includes('PodSecurity')
        ? `${describeSetting('disable-admission-plugins', s('disable-admission-plugins'))}: no pod security admission, any user who can create pods can create privileged ones`
        : `Kubernetes 1.${version} with neither PodSecurityPolicy nor PodSecurity admission: any user who can create pods can create privileged ones`,
    );
  }

  // Connections to etcd and kubelets.
  const etcdServers = s('etcd-servers');
  const plainEtcd = etcdServers ? parseUrlList(etcdServers.value).filter((u) => u.scheme === 'http') : [];
  if (plainEtcd.length > 0) {
    add('etcd-servers', etcdServers, `${describeSetting('etcd-servers', etcdServers)}: the API server talks to etcd in plaintext${plainEtcd.some((u) => !u.local) ? ' over the network' : ''}, so etcd cannot require client certificates`);
  }
  if (!s('kubelet-certificate-authority')) {
    add('kubelet-certificate-authority', undefined, '--kubelet-certificate-authority not set: kubelet serving certificates are not verified (exec, logs and port-forward traffic can be intercepted)', 'INFO');
  }
  const profiling = s('profiling');
  if (isTrue(profiling)) add('profiling', profiling, `${describeSetting('profiling', profiling)}: /debug/pprof exposes internals to authorised users`, 'INFO');
  return rows;
}
