-- Kubernetes objects from kubectl JSON (`kubectl get <kind> -A -o json` Lists, or single objects):
-- pods and controller pod templates with their containers (security contexts merged as the
-- kubelet merges them), RBAC as a graph with views answering "who can do what, where, and
-- through which chain", and the cluster objects around them (namespaces, nodes, network
-- policies, webhooks, admission policies, services, events).
-- Every row carries file_id + locator (JSON pointer inside its file).

-- One row per kubectl document ingested: proves what was collected, even when it was empty.
create table k8s_lists (
  file_id integer not null references files(id),
  locator text not null,
  resource text,                      -- item kind (Pod, NetworkPolicy, ...) from the items, the List kind or the file name
  items integer not null
);

-- Every object, whatever its kind.
create table k8s_objects (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the object (e.g. /items/3)
  api_version text,
  kind text not null,
  namespace text,                     -- null for cluster-scoped objects
  name text not null,
  uid text,
  created text,                       -- metadata.creationTimestamp
  deleted text,                       -- metadata.deletionTimestamp
  labels text,                        -- JSON object
  annotations text,                   -- JSON object, without kubectl's last-applied-configuration
  owner_kind text,                    -- the controller ownerReference (else the first one)
  owner_name text,
  owner_uid text,
  managers text                       -- JSON array of {manager, operation, time} from managedFields
);

create table k8s_labels (
  object_id integer not null references k8s_objects(id),
  key text not null,
  value text not null
);

-- Label selectors of aggregated ClusterRoles, NetworkPolicies and Services, matched by views.
create table k8s_label_selectors (
  id integer primary key,
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  purpose text not null,              -- aggregation | netpol | service
  namespace text,                     -- where the selected objects live (netpol, service)
  match_labels text,                  -- JSON object
  match_expressions text              -- JSON array of {key, operator, values}
);

-- One row per pod and per controller pod template (Deployment, DaemonSet, StatefulSet,
-- ReplicaSet, ReplicationController, Job, CronJob).
create table k8s_pod_specs (
  id integer primary key,
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the pod spec
  source text not null,               -- pod | template
  kind text not null,                 -- Pod, Deployment, CronJob, ...
  namespace text,
  name text not null,
  node_name text,
  phase text,                         -- pods: status.phase
  pod_ip text,
  host_ip text,
  start_time text,
  service_account text not null,      -- serviceAccountName (or the deprecated serviceAccount), default 'default'
  automount integer,                  -- automountServiceAccountToken at pod level: 1, 0 or null (unset)
  token_volume text,                  -- volume holding an API token for the container(s), when one is there
  token_locator text,
  host_pid integer not null default 0,
  host_network integer not null default 0,
  host_ipc integer not null default 0,
  host_users integer,                 -- hostUsers (false = user namespaces)
  share_process_namespace integer,
  run_as_user integer,                -- pod-level securityContext
  run_as_non_root integer,
  seccomp_profile text,               -- RuntimeDefault | Unconfined | Localhost:<path> | null
  replicas integer,                   -- desired replicas of a controller, when it says
  schedule text,                      -- CronJob
  suspend integer,                    -- CronJob
  last_schedule text,                 -- CronJob status.lastScheduleTime (null: never ran)
  field_locators text                 -- JSON object: field → JSON pointer
);

-- Containers, initContainers and ephemeralContainers with the effective security context
-- (container-level setting, else the pod-level one, as Kubernetes merges them).
create table k8s_containers (
  id integer primary key,
  spec_id integer not null references k8s_pod_specs(id),
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the container
  container_type text not null,       -- container | init | ephemeral
  name text not null,
  image text,
  command text,                       -- JSON array
  args text,                          -- JSON array
  privileged integer not null default 0,
  allow_privilege_escalation integer, -- null = unset (Kubernetes then allows it)
  run_as_user integer,
  run_as_group integer,
  run_as_non_root integer,
  read_only_root_fs integer,
  proc_mount text,
  seccomp_profile text,               -- RuntimeDefault | Unconfined | Localhost:<path> | null (unset)
  apparmor_profile text,              -- RuntimeDefault | Unconfined | Localhost:<name> | null
  host_ports text,                    -- JSON array of {port, hostPort, protocol}
  field_locators text                 -- JSON object: field → JSON pointer of the effective setting
);

create table k8s_container_capabilities (
  container_id integer not null references k8s_containers(id),
  capability text not null,           -- without CAP_, upper case
  action text not null,               -- add | drop
  locator text not null
);

-- Commands the kubelet runs inside a container by itself: exec probes and lifecycle hooks. Runtime
-- rules leave their executions out (a health check's `sh -c curl ...` is not someone's shell)
-- unless the command itself looks hostile.
create table k8s_container_execs (
  container_id integer not null references k8s_containers(id),
  purpose text not null,              -- livenessProbe | readinessProbe | startupProbe | postStart | preStop
  command text not null,              -- JSON array, as in the spec
  program text not null,              -- base name of command[0], quotes dropped
  arguments text not null,            -- command[1..] joined by spaces, quotes dropped
  command_line text not null,         -- command joined by spaces, quotes dropped
  hostile_patterns text,              -- ids of command patterns (download-and-run, reverse shell, ...) it matches
  locator text not null
);

create table k8s_volumes (
  spec_id integer not null references k8s_pod_specs(id),
  file_id integer not null references files(id),
  locator text not null,
  name text not null,
  type text not null,                 -- hostPath | projected | secret | configMap | emptyDir | persistentVolumeClaim | ...
  host_path text,
  host_path_type text,
  source_name text,                   -- secret / configMap / claim name
  sa_token integer not null default 0, -- projected serviceAccountToken (or a legacy token secret)
  token_audience text
);

create table k8s_volume_mounts (
  container_id integer not null references k8s_containers(id),
  spec_id integer not null references k8s_pod_specs(id),
  volume_name text not null,
  mount_path text,
  read_only integer not null default 0,
  sub_path text,
  locator text not null
);

-- RBAC ------------------------------------------------------------------------------------------

create table k8s_service_accounts (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  namespace text not null,
  name text not null,
  created text,
  automount integer,                  -- automountServiceAccountToken: 1, 0 or null (unset = mounted)
  automount_locator text
);

create table k8s_roles (
  id integer primary key,
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  kind text not null,                 -- Role | ClusterRole
  namespace text,
  name text not null,
  created text,
  aggregated integer not null default 0 -- has an aggregationRule
);

-- Role rules, one row per verb × apiGroup × resource × resourceName (or verb × nonResourceURL).
create table k8s_role_rules (
  role_id integer not null references k8s_roles(id),
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the rule
  rule_index integer not null,
  verb text not null,
  api_group text,                     -- '' = core; null for nonResourceURL rules
  resource text,                      -- incl. subresource (pods/exec); null for nonResourceURL rules
  resource_name text,                 -- null = any
  non_resource_url text
);

create table k8s_bindings (
  id integer primary key,
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  kind text not null,                 -- RoleBinding | ClusterRoleBinding
  namespace text,
  name text not null,
  created text,
  role_kind text not null,
  role_name text not null,
  role_locator text
);

create table k8s_binding_subjects (
  id integer primary key,
  binding_id integer not null references k8s_bindings(id),
  file_id integer not null references files(id),
  locator text not null,
  kind text not null,                 -- User | Group | ServiceAccount
  name text not null,
  namespace text                      -- ServiceAccount subjects (defaulted to the binding's namespace)
);

-- Other objects ---------------------------------------------------------------------------------

create table k8s_nodes (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  name text not null,
  created text,
  kubelet_version text,
  os_image text,
  kernel_version text,
  container_runtime text,
  operating_system text,
  architecture text,
  internal_ip text,
  ready text,                         -- Ready condition status: True | False | Unknown
  unschedulable integer,
  roles text                          -- JSON array from node-role.kubernetes.io/<role> labels
);

create table k8s_network_policies (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  namespace text not null,
  name text not null,
  policy_types text,                  -- JSON array (as written, or defaulted as the API server does)
  ingress_rules integer,              -- number of ingress rules (0 = deny all ingress when Ingress is a policy type)
  egress_rules integer,
  selector_id integer                 -- k8s_label_selectors.id of spec.podSelector
);

create table k8s_services (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  namespace text not null,
  name text not null,
  type text,                          -- ClusterIP | NodePort | LoadBalancer | ExternalName
  cluster_ip text,
  external_ips text,                  -- JSON array
  node_ports text,                    -- JSON array of numbers
  lb_ingress text,                    -- JSON array of ip/hostname
  selector_id integer
);

create table k8s_webhooks (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the webhook entry
  config_kind text not null,          -- MutatingWebhookConfiguration | ValidatingWebhookConfiguration
  config_name text not null,
  name text,
  client_url text,
  service_namespace text,
  service_name text,
  service_path text,
  failure_policy text,
  rules text                          -- JSON array
);

-- Policy engines in force: Gatekeeper constraints, Kyverno policies, ValidatingAdmissionPolicy bindings.
create table k8s_admission_policies (
  object_id integer not null references k8s_objects(id),
  file_id integer not null references files(id),
  locator text not null,
  engine text not null,               -- gatekeeper | kyverno | validating-admission-policy
  kind text not null,
  namespace text,
  name text not null,
  mode text                           -- enforce | audit | warn | dryrun (normalised)
);

create table k8s_events (
  file_id integer not null references files(id),
  locator text not null,
  namespace text,
  involved_kind text,
  involved_namespace text,
  involved_name text,
  reason text,
  type text,
  message text,
  first_time text,
  last_time text,
  count integer,
  source text
);

create table k8s_cluster_version (
  file_id integer not null references files(id),
  locator text not null,
  server_version text,                -- serverVersion.gitVersion
  client_version text
);

-- collect.sh k8s/secrets-metadata.tsv: Secrets without their values (never collected).
create table k8s_secrets (
  file_id integer not null references files(id),
  locator text not null,              -- line N
  namespace text,
  name text not null,
  type text,                          -- Opaque | kubernetes.io/service-account-token | kubernetes.io/tls | ...
  created text,
  uid text,
  service_account text,               -- kubernetes.io/service-account.name annotation
  labels text                         -- as kubectl's jsonpath printed the map (JSON), or null
);

-- Baselines: what a normal kubeadm cluster has, by name AND by expected subjects / owners ------

-- Bindings the API server (bootstrap policy) and kubeadm create, with their expected subjects.
create table k8s_baseline_bindings (
  binding_kind text not null,
  namespace text,                     -- RoleBindings only
  binding_name text not null,
  role_kind text not null,
  role_name text not null,
  subject_kind text not null,
  subject_name text not null,
  subject_namespace text
);

insert into k8s_baseline_bindings values
  ('ClusterRoleBinding', null, 'cluster-admin', 'ClusterRole', 'cluster-admin', 'Group', 'system:masters', null),
  ('ClusterRoleBinding', null, 'kubeadm:cluster-admins', 'ClusterRole', 'cluster-admin', 'Group', 'kubeadm:cluster-admins', null),
  ('ClusterRoleBinding', null, 'system:basic-user', 'ClusterRole', 'system:basic-user', 'Group', 'system:authenticated', null),
  ('ClusterRoleBinding', null, 'system:discovery', 'ClusterRole', 'system:discovery', 'Group', 'system:authenticated', null),
  ('ClusterRoleBinding', null, 'system:public-info-viewer', 'ClusterRole', 'system:public-info-viewer', 'Group', 'system:authenticated', null),
  ('ClusterRoleBinding', null, 'system:public-info-viewer', 'ClusterRole', 'system:public-info-viewer', 'Group', 'system:unauthenticated', null),
  ('ClusterRoleBinding', null, 'system:service-account-issuer-discovery', 'ClusterRole', 'system:service-account-issuer-discovery', 'Group', 'system:serviceaccounts', null),
  ('ClusterRoleBinding', null, 'system:monitoring', 'ClusterRole', 'system:monitoring', 'Group', 'system:monitoring', null),
  ('ClusterRoleBinding', null, 'system:kube-controller-manager', 'ClusterRole', 'system:kube-controller-manager', 'User', 'system:kube-controller-manager', null),
  ('ClusterRoleBinding', null, 'system:kube-scheduler', 'ClusterRole', 'system:kube-scheduler', 'User', 'system:kube-scheduler', null),
  ('ClusterRoleBinding', null, 'system:volume-scheduler', 'ClusterRole', 'system:volume-scheduler', 'User', 'system:kube-scheduler', null),
  ('ClusterRoleBinding', null, 'system:node-proxier', 'ClusterRole', 'system:node-proxier', 'User', 'system:kube-proxy', null),
  ('ClusterRoleBinding', null, 'system:kube-dns', 'ClusterRole', 'system:kube-dns', 'ServiceAccount', 'kube-dns', 'kube-system'),
  ('ClusterRoleBinding', null, 'system:coredns', 'ClusterRole', 'system:coredns', 'ServiceAccount', 'coredns', 'kube-system'),
  ('ClusterRoleBinding', null, 'kubeadm:get-nodes', 'ClusterRole', 'kubeadm:get-nodes', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null),
  ('ClusterRoleBinding', null, 'kubeadm:kubelet-bootstrap', 'ClusterRole', 'system:node-bootstrapper', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null),
  ('ClusterRoleBinding', null, 'kubeadm:node-autoapprove-bootstrap', 'ClusterRole', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null),
  ('ClusterRoleBinding', null, 'kubeadm:node-autoapprove-certificate-rotation', 'ClusterRole', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', 'Group', 'system:nodes', null),
  ('ClusterRoleBinding', null, 'kubeadm:node-proxier', 'ClusterRole', 'system:node-proxier', 'ServiceAccount', 'kube-proxy', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system::extension-apiserver-authentication-reader', 'Role', 'extension-apiserver-authentication-reader', 'User', 'system:kube-controller-manager', null),
  ('RoleBinding', 'kube-system', 'system::extension-apiserver-authentication-reader', 'Role', 'extension-apiserver-authentication-reader', 'User', 'system:kube-scheduler', null),
  ('RoleBinding', 'kube-system', 'system::leader-locking-kube-controller-manager', 'Role', 'system::leader-locking-kube-controller-manager', 'User', 'system:kube-controller-manager', null),
  ('RoleBinding', 'kube-system', 'system::leader-locking-kube-controller-manager', 'Role', 'system::leader-locking-kube-controller-manager', 'ServiceAccount', 'kube-controller-manager', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system::leader-locking-kube-controller-manager', 'Role', 'system::leader-locking-kube-controller-manager', 'ServiceAccount', 'leader-election-controller', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system::leader-locking-kube-scheduler', 'Role', 'system::leader-locking-kube-scheduler', 'User', 'system:kube-scheduler', null),
  ('RoleBinding', 'kube-system', 'system::leader-locking-kube-scheduler', 'Role', 'system::leader-locking-kube-scheduler', 'ServiceAccount', 'kube-scheduler', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system:controller:bootstrap-signer', 'Role', 'system:controller:bootstrap-signer', 'ServiceAccount', 'bootstrap-signer', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system:controller:cloud-provider', 'Role', 'system:controller:cloud-provider', 'ServiceAccount', 'cloud-provider', 'kube-system'),
  ('RoleBinding', 'kube-system', 'system:controller:token-cleaner', 'Role', 'system:controller:token-cleaner', 'ServiceAccount', 'token-cleaner', 'kube-system'),
  ('RoleBinding', 'kube-public', 'system:controller:bootstrap-signer', 'Role', 'system:controller:bootstrap-signer', 'ServiceAccount', 'bootstrap-signer', 'kube-system'),
  ('RoleBinding', 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'Role', 'kubeadm:bootstrap-signer-clusterinfo', 'User', 'system:anonymous', null),
  ('RoleBinding', 'kube-system', 'kube-proxy', 'Role', 'kube-proxy', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null),
  ('RoleBinding', 'kube-system', 'kubeadm:kubelet-config', 'Role', 'kubeadm:kubelet-config', 'Group', 'system:nodes', null),
  ('RoleBinding', 'kube-system', 'kubeadm:kubelet-config', 'Role', 'kubeadm:kubelet-config', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null),
  ('RoleBinding', 'kube-system', 'kubeadm:nodes-kubeadm-config', 'Role', 'kubeadm:nodes-kubeadm-config', 'Group', 'system:nodes', null),
  ('RoleBinding', 'kube-system', 'kubeadm:nodes-kubeadm-config', 'Role', 'kubeadm:nodes-kubeadm-config', 'Group', 'system:bootstrappers:kubeadm:default-node-token', null);

-- The controllers of kube-controller-manager: ClusterRoleBinding system:controller:<name> →
-- ClusterRole of the same name → ServiceAccount kube-system/<name>. Listed by name on purpose:
-- a made-up system:controller:<anything> gets no free pass.
insert into k8s_baseline_bindings
  select 'ClusterRoleBinding', null, 'system:controller:' || column1, 'ClusterRole', 'system:controller:' || column1,
         'ServiceAccount', column1, 'kube-system'
    from (values ('attachdetach-controller'), ('certificate-controller'), ('clusterrole-aggregation-controller'),
                 ('cronjob-controller'), ('daemon-set-controller'), ('deployment-controller'), ('disruption-controller'),
                 ('endpoint-controller'), ('endpointslice-controller'), ('endpointslicemirroring-controller'),
                 ('ephemeral-volume-controller'), ('expand-controller'), ('generic-garbage-collector'),
                 ('horizontal-pod-autoscaler'), ('job-controller'), ('legacy-service-account-token-cleaner'),
                 ('namespace-controller'), ('node-controller'), ('persistent-volume-binder'), ('pod-garbage-collector'),
                 ('podcheckpoint-controller'), ('pv-protection-controller'), ('pvc-protection-controller'),
                 ('replicaset-controller'), ('replication-controller'), ('resource-claim-controller'),
                 ('resourcequota-controller'), ('root-ca-cert-publisher'), ('route-controller'),
                 ('selinux-warning-controller'), ('service-account-controller'), ('service-cidrs-controller'),
                 ('service-controller'), ('statefulset-controller'), ('ttl-after-finished-controller'), ('ttl-controller'),
                 ('validatingadmissionpolicy-status-controller'), ('volumeattributesclass-protection-controller'),
                 ('storageversion-garbage-collector'), ('taint-eviction-controller'));

-- System workloads of a kubeadm cluster, known by namespace, owner, image and service account,
-- with the exposures they need. Anything else named like them is judged like any workload.
create table k8s_baseline_workloads (
  component text not null,
  namespace text not null,
  workload_kind text not null,        -- Node = static (mirror) pod named <component>-<node>
  workload_name text,
  image_name text not null,           -- last path segment of the image repository
  service_account text,               -- null = not checked (static pods cannot choose one)
  expected_exposures text not null    -- comma list of pod_exposures.exposure values
);

insert into k8s_baseline_workloads values
  ('etcd', 'kube-system', 'Node', null, 'etcd', null, 'host-network'),
  ('kube-apiserver', 'kube-system', 'Node', null, 'kube-apiserver', null, 'host-network'),
  ('kube-controller-manager', 'kube-system', 'Node', null, 'kube-controller-manager', null, 'host-network'),
  ('kube-scheduler', 'kube-system', 'Node', null, 'kube-scheduler', null, 'host-network'),
  ('kube-proxy', 'kube-system', 'DaemonSet', 'kube-proxy', 'kube-proxy', 'kube-proxy', 'privileged,host-network'),
  ('coredns', 'kube-system', 'Deployment', 'coredns', 'coredns', 'coredns', '');

-- Dangerous RBAC capabilities: what a grant must match to count (verb, apiGroup, resource).
create table k8s_capabilities (
  capability text not null,           -- secrets-read | escalate | bind | impersonate | create-pods | pods-exec | ...
  verb text not null,
  api_group text not null,
  resource text not null,
  description text not null
);

insert into k8s_capabilities
  select c.column1, v.value, c.column3, r.value, c.column5
    from (values
      ('secrets-read', '["get","list","watch"]', '', '["secrets"]', 'read Secrets (get/list/watch return their values)'),
      ('escalate', '["escalate"]', 'rbac.authorization.k8s.io', '["roles","clusterroles"]', 'escalate: write roles granting more than the holder has'),
      ('bind', '["bind"]', 'rbac.authorization.k8s.io', '["roles","clusterroles"]', 'bind: bind roles granting more than the holder has'),
      ('impersonate', '["impersonate"]', '', '["users","groups","serviceaccounts"]', 'impersonate other identities'),
      ('impersonate', '["impersonate"]', 'authentication.k8s.io', '["uids","userextras"]', 'impersonate other identities'),
      ('create-pods', '["create"]', '', '["pods","replicationcontrollers"]', 'create pods (any service account, host mounts)'),
      ('create-pods', '["create","update","patch"]', 'apps', '["deployments","daemonsets","statefulsets","replicasets"]', 'create or change pod controllers (pods run with their template)'),
      ('create-pods', '["create","update","patch"]', 'batch', '["jobs","cronjobs"]', 'create or change pod controllers (pods run with their template)'),
      ('pods-exec', '["create","get"]', '', '["pods/exec"]', 'exec into pods'),
      ('pods-attach', '["create","get"]', '', '["pods/attach"]', 'attach to pods'),
      ('pods-portforward', '["create","get"]', '', '["pods/portforward"]', 'port-forward into pods'),
      ('nodes-proxy', '["get","create","update","patch","delete"]', '', '["nodes/proxy"]', 'reach the kubelet API through nodes/proxy (exec in any pod of the node)'),
      ('serviceaccount-token', '["create"]', '', '["serviceaccounts/token"]', 'mint tokens for service accounts'),
      ('csr-approve', '["update","patch"]', 'certificates.k8s.io', '["certificatesigningrequests/approval"]', 'approve certificate signing requests (mint client certificates)'),
      ('csr-approve', '["approve"]', 'certificates.k8s.io', '["signers"]', 'approve certificate signing requests (mint client certificates)'),
      ('webhook-write', '["create","update","patch","delete"]', 'admissionregistration.k8s.io', '["mutatingwebhookconfigurations","validatingwebhookconfigurations"]', 'write admission webhook configurations (intercept or disable admission)')
    ) c
    join json_each(c.column2) v
    join json_each(c.column4) r;

-- Views ------------------------------------------------------------------------------------------

-- Which objects a label selector selects (matchLabels AND matchExpressions, as the API does).
create view k8s_selector_matches as
  select s.id as selector_id, s.purpose, s.object_id as selector_object_id, o.id as object_id
    from k8s_label_selectors s
    join k8s_objects o
      on (s.purpose = 'aggregation' and o.kind = 'ClusterRole')
      or (s.purpose in ('netpol', 'service') and o.kind = 'Pod' and o.namespace = s.namespace)
   where not exists (
           select 1 from json_each(coalesce(s.match_labels, '{}')) ml
            where not exists (select 1 from k8s_labels l where l.object_id = o.id and l.key = ml.key and l.value = ml.value))
     and not exists (
           select 1 from json_each(coalesce(s.match_expressions, '[]')) e
            where not (case json_extract(e.value, '$.operator')
              when 'In' then exists (select 1 from k8s_labels l join json_each(json_extract(e.value, '$.values')) v
                                       where l.object_id = o.id and l.key = json_extract(e.value, '$.key') and l.value = v.value)
              when 'NotIn' then not exists (select 1 from k8s_labels l join json_each(json_extract(e.value, '$.values')) v
                                       where l.object_id = o.id and l.key = json_extract(e.value, '$.key') and l.value = v.value)
              when 'Exists' then exists (select 1 from k8s_labels l where l.object_id = o.id and l.key = json_extract(e.value, '$.key'))
              when 'DoesNotExist' then not exists (select 1 from k8s_labels l where l.object_id = o.id and l.key = json_extract(e.value, '$.key'))
              else 0 end));

-- Role → every role whose rules it carries: itself, and for aggregated ClusterRoles every
-- ClusterRole their aggregationRule selects (transitively), whether or not the aggregation
-- controller had copied the rules yet when the evidence was taken.
create view k8s_role_closure as
  with recursive
    agg(aggregator_id, member_id) as (
      select ra.id, rm.id
        from k8s_selector_matches m
        join k8s_roles ra on ra.object_id = m.selector_object_id
        join k8s_roles rm on rm.object_id = m.object_id
       where m.purpose = 'aggregation' and ra.id <> rm.id),
    closure(role_id, member_id) as (
      select id, id from k8s_roles
      union
      select c.role_id, a.member_id from closure c join agg a on a.aggregator_id = c.member_id)
  select role_id, member_id from closure;

-- Binding subjects with their binding, and whether the pair is one a normal cluster has.
create view k8s_subject_bindings as
  select s.id as subject_row, s.kind as subject_kind, s.name as subject_name, s.namespace as subject_namespace,
         s.file_id as subject_file_id, s.locator as subject_locator,
         b.id as binding_id, b.kind as binding_kind, b.namespace as binding_namespace, b.name as binding_name,
         b.created as binding_created, b.file_id as binding_file_id, b.locator as binding_locator,
         b.role_kind, b.role_name,
         exists (select 1 from k8s_baseline_bindings x
                  where x.binding_kind = b.kind and x.namespace is b.namespace and x.binding_name = b.name
                    and x.role_kind = b.role_kind and x.role_name = b.role_name
                    and x.subject_kind = s.kind and x.subject_name = s.name and x.subject_namespace is s.namespace) as builtin
    from k8s_binding_subjects s join k8s_bindings b on b.id = s.binding_id;

-- Effective permissions: one row per binding subject × rule that reaches it, with the chain
-- (subject → binding → role → [aggregated member role] → rule). scope = the namespace the
-- permission applies to, '*' for cluster-wide (ClusterRoleBinding).
-- "Who can read secrets":
--   select subject_kind, subject_name, scope, binding_name, role_name, via_role_name
--     from k8s_effective_permissions where resource in ('secrets', '*') and verb in ('get','list','watch','*');
create view k8s_effective_permissions as
  select sb.subject_row, sb.subject_kind, sb.subject_name, sb.subject_namespace,
         case when sb.binding_kind = 'ClusterRoleBinding' then '*' else sb.binding_namespace end as scope,
         sb.binding_kind, sb.binding_namespace, sb.binding_name, sb.binding_id, sb.binding_created,
         r.kind as role_kind, r.namespace as role_namespace, r.name as role_name, r.id as role_id,
         m.name as via_role_name, m.id as via_role_id,
         rr.verb, rr.api_group, rr.resource, rr.resource_name, rr.non_resource_url, rr.rule_index,
         sb.builtin and m.id = r.id as builtin,
         sb.subject_file_id, sb.subject_locator, sb.binding_file_id, sb.binding_locator,
         rr.file_id as rule_file_id, rr.locator as rule_locator
    from k8s_subject_bindings sb
    join k8s_roles r on r.name = sb.role_name and r.kind = sb.role_kind
                    and (r.kind = 'ClusterRole' or r.namespace is sb.binding_namespace)
    join k8s_role_closure c on c.role_id = r.id
    join k8s_roles m on m.id = c.member_id
    join k8s_role_rules rr on rr.role_id = m.id;

-- Effective permissions matched against the dangerous capabilities (wildcards honoured:
-- verb '*', apiGroup '*', resource '*' and '*/<subresource>').
create view k8s_capability_grants as
  select p.subject_row, p.subject_kind, p.subject_name, p.subject_namespace, p.scope,
         p.binding_kind, p.binding_namespace, p.binding_name, p.binding_id, p.binding_created,
         p.role_kind, p.role_namespace, p.role_name, p.role_id, p.via_role_name, p.via_role_id,
         p.rule_index, p.resource_name, p.builtin,
         p.subject_file_id, p.subject_locator, p.binding_file_id, p.binding_locator, p.rule_file_id, p.rule_locator,
         k.capability, k.description as capability_description,
         group_concat(distinct p.verb) as verbs,
         group_concat(distinct p.api_group) as api_groups,
         group_concat(distinct p.resource) as resources,
         max(p.verb = '*' and p.resource = '*' and p.api_group = '*') as full_wildcard
    from k8s_effective_permissions p
    join k8s_capabilities k
      on (p.verb = k.verb or p.verb = '*')
     and (p.api_group = k.api_group or p.api_group = '*')
     and (p.resource = k.resource or p.resource = '*'
          or (instr(k.resource, '/') > 0 and p.resource = '*/' || substr(k.resource, instr(k.resource, '/') + 1)))
   where p.non_resource_url is null
   group by p.subject_row, p.role_id, p.via_role_id, p.rule_index, p.resource_name, k.capability;

-- Every service account the evidence knows of (objects, pod specs, binding subjects).
create view k8s_service_account_names as
  select namespace, name from k8s_service_accounts
  union select namespace, service_account from k8s_pod_specs where namespace is not null
  union select subject_namespace, subject_name from k8s_subject_bindings
         where subject_kind = 'ServiceAccount' and subject_namespace is not null;

-- What each service account's token can do: the grants of the ServiceAccount subject itself and
-- of the groups every token carries (system:serviceaccounts, system:serviceaccounts:<ns>,
-- system:authenticated), plus User system:serviceaccount:<ns>:<name>. via_group says which.
create view k8s_service_account_capabilities as
  select sa.namespace as sa_namespace, sa.name as sa_name, null as via_group, g.*
    from k8s_service_account_names sa
    join k8s_capability_grants g on g.subject_kind = 'ServiceAccount' and g.subject_name = sa.name and g.subject_namespace = sa.namespace
  union all
  select sa.namespace, sa.name, g.subject_name, g.*
    from k8s_service_account_names sa
    join k8s_capability_grants g on g.subject_kind = 'Group'
     and g.subject_name in ('system:serviceaccounts', 'system:serviceaccounts:' || sa.namespace, 'system:authenticated')
  union all
  select sa.namespace, sa.name, null, g.*
    from k8s_service_account_names sa
    join k8s_capability_grants g on g.subject_kind = 'User' and g.subject_name = 'system:serviceaccount:' || sa.namespace || ':' || sa.name;

-- Pods and templates with their owner and the workload that ultimately owns them
-- (Pod → ReplicaSet → Deployment, Pod → Job → CronJob; a ReplicaSet not in the evidence is
-- resolved to its Deployment through the pod-template-hash label).
create view k8s_spec_workloads as
  select p.id as spec_id, p.source, p.kind, p.namespace, p.name,
         o.owner_kind, o.owner_name, o.owner_uid, o.created, o.uid, o.annotations,
         case
           when o.owner_kind = 'ReplicaSet' and rs.owner_kind is not null then rs.owner_kind
           when o.owner_kind = 'ReplicaSet' and h.value is not null and o.owner_name like '%-' || h.value then 'Deployment'
           when o.owner_kind = 'Job' and job.owner_kind is not null then job.owner_kind
           else o.owner_kind end as workload_kind,
         case
           when o.owner_kind = 'ReplicaSet' and rs.owner_kind is not null then rs.owner_name
           when o.owner_kind = 'ReplicaSet' and h.value is not null and o.owner_name like '%-' || h.value
             then substr(o.owner_name, 1, length(o.owner_name) - length(h.value) - 1)
           when o.owner_kind = 'Job' and job.owner_kind is not null then job.owner_name
           else o.owner_name end as workload_name
    from k8s_pod_specs p
    join k8s_objects o on o.id = p.object_id
    left join k8s_objects rs on o.owner_kind = 'ReplicaSet' and rs.kind = 'ReplicaSet' and rs.namespace = p.namespace and rs.name = o.owner_name
    left join k8s_objects job on o.owner_kind = 'Job' and job.kind = 'Job' and job.namespace = p.namespace and job.name = o.owner_name
    left join k8s_labels h on p.source = 'pod' and h.object_id = o.id and h.key = 'pod-template-hash';

-- Pod specs recognised as a baseline system workload (by namespace, owner, service account AND
-- the image of every container).
create view k8s_spec_system as
  select w.spec_id, b.component, b.expected_exposures
    from k8s_spec_workloads w
    join k8s_pod_specs p on p.id = w.spec_id
    join k8s_baseline_workloads b on b.namespace = p.namespace
   where ((p.source = 'pod' and b.workload_kind = 'Node' and w.owner_kind = 'Node' and p.name = b.component || '-' || w.owner_name
           and json_extract(w.annotations, '$."kubernetes.io/config.mirror"') is not null)
       or (p.source = 'pod' and b.workload_kind <> 'Node' and w.workload_kind = b.workload_kind and w.workload_name = b.workload_name)
       or (p.source = 'template' and p.kind = b.workload_kind and p.name = b.workload_name))
     and (b.service_account is null or p.service_account = b.service_account)
     and not exists (select 1 from k8s_containers c where c.spec_id = p.id
                      and not (c.image like '%/' || b.image_name || ':%' or c.image like '%/' || b.image_name || '@%'
                               or c.image like b.image_name || ':%' or c.image like b.image_name || '@%'));

-- The standard finding subject of each pod spec: pods as 'pod', templates as their workload kind.
-- reportable = 0 for a template whose pods are in the evidence (the pod findings name it) or
-- whose own controller is (a ReplicaSet of a Deployment, a Job of a CronJob).
create view k8s_spec_subjects as
  select p.*, w.owner_kind, w.owner_name, w.workload_kind, w.workload_name, w.created,
         case when p.source = 'pod' then 'pod' else lower(p.kind) end as subject_kind,
         p.name as subject_name,
         p.namespace as subject_namespace,
         w.uid as subject_id,
         case
           when p.source = 'template' and w.owner_kind is not null then p.kind || ' ' || p.name || ' (owned by ' || w.owner_kind || ' ' || w.owner_name || ')'
           when p.source = 'template' then p.kind || ' ' || p.name || ' (pod template)'
           when w.owner_kind is null then 'pod ' || p.name || ' (no owner: a bare pod)'
           when w.owner_kind = 'Node' then 'pod ' || p.name || ' (static pod of node ' || w.owner_name || ')'
           when w.workload_kind <> w.owner_kind or w.workload_name <> w.owner_name
             then 'pod ' || p.name || ' (' || w.workload_kind || ' ' || w.workload_name || ' via ' || w.owner_kind || ' ' || w.owner_name || ')'
           else 'pod ' || p.name || ' (' || w.owner_kind || ' ' || w.owner_name || ')' end as owner_desc,
         case
           when p.source = 'pod' then 1
           when exists (select 1 from k8s_spec_workloads q
                         where q.source = 'pod' and q.namespace is p.namespace
                           and ((q.owner_kind = p.kind and q.owner_name = p.name) or (q.workload_kind = p.kind and q.workload_name = p.name))) then 0
           when w.owner_kind is not null and exists (select 1 from k8s_objects oo
                         where oo.kind = w.owner_kind and oo.namespace is p.namespace and oo.name = w.owner_name) then 0
           else 1 end as reportable,
         s.component as system_component, s.expected_exposures
    from k8s_pod_specs p
    join k8s_spec_workloads w on w.spec_id = p.id
    left join k8s_spec_system s on s.spec_id = p.id;

-- Escape-enabling exposures of every pod spec, one row per container (pod-level settings apply
-- to each container; a hostPath volume no container mounts has container null).
create view k8s_spec_exposures as
  select c.spec_id, c.id as container_id, c.name as container, 'privileged' as exposure,
         'privileged=true' as detail, c.file_id, coalesce(json_extract(c.field_locators, '$.privileged'), c.locator) as locator
    from k8s_containers c where c.privileged = 1
  union all
  select p.id, c.id, c.name, 'host-' || ns.kind, ns.field || '=true', p.file_id,
         coalesce(json_extract(p.field_locators, '$.host_' || ns.kind), p.locator)
    from k8s_pod_specs p
    join (select 'pid' as kind, 'hostPID' as field union all select 'network', 'hostNetwork' union all select 'ipc', 'hostIPC') ns
      on (ns.kind = 'pid' and p.host_pid = 1) or (ns.kind = 'network' and p.host_network = 1) or (ns.kind = 'ipc' and p.host_ipc = 1)
    join k8s_containers c on c.spec_id = p.id
  union all
  select c.spec_id, c.id, c.name, 'capability', 'capability ' || k.capability || ' added', c.file_id, k.locator
    from k8s_containers c join k8s_container_capabilities k on k.container_id = c.id and k.action = 'add'
   where k.capability in (select value from config_list where name = 'dangerous_capabilities')
  union all
  select v.spec_id, c.id, c.name,
         case when rtrim(v.host_path, '/') in (select path from runtime_socket_paths)
                   or exists (select 1 from runtime_socket_names n where v.host_path glob '*/' || n.name)
              then 'runtime-socket' else 'sensitive-mount' end,
         'hostPath ' || v.host_path ||
           case when m.mount_path is not null then ' mounted at ' || m.mount_path ||
                  case when m.read_only = 1 then ' (read-only)' else ' (read-write)' end
                else ' (volume ' || v.name || ', mounted by no container)' end,
         v.file_id, coalesce(m.locator, v.locator)
    from k8s_volumes v
    left join k8s_volume_mounts m on m.spec_id = v.spec_id and m.volume_name = v.name
    left join k8s_containers c on c.id = m.container_id
   where v.type = 'hostPath' and v.host_path is not null
     and (rtrim(v.host_path, '/') in (select path from runtime_socket_paths)
          or exists (select 1 from runtime_socket_names n where v.host_path glob '*/' || n.name)
          or exists (select 1 from config_list p where p.name = 'sensitive_host_paths'
                      and (rtrim(v.host_path, '/') = rtrim(p.value, '/') or v.host_path = '/'
                           or substr(p.value, 1, length(rtrim(v.host_path, '/')) + 1) = rtrim(v.host_path, '/') || '/')));

-- Exposures with their finding subject; expected = 1 when a baseline system workload needs the
-- exposure (kube-proxy is privileged, control-plane static pods use the host network).
create view k8s_exposure_subjects as
  select e.*, s.source, s.kind, s.namespace, s.name, s.node_name, s.created, s.subject_kind, s.subject_name,
         s.subject_namespace, s.subject_id, s.owner_desc, s.reportable, s.system_component,
         c.image as subject_image, c.container_type,
         case when s.system_component is not null and instr(',' || s.expected_exposures || ',', ',' || e.exposure || ',') > 0
              then 1 else 0 end as expected
    from k8s_spec_exposures e
    join k8s_spec_subjects s on s.id = e.spec_id
    left join k8s_containers c on c.id = e.container_id;

-- REQUIRED by correlation rules (audit exec into an exposed pod, runtime alerts in an exposed
-- container): one row per escape-enabling exposure of a pod's container, from pod specs.
-- exposure ∈ privileged, host-pid, host-network, host-ipc, capability, sensitive-mount,
-- runtime-socket. expected = 1 when a baseline system workload needs it; the exposure is still
-- real (an exec into kube-proxy is still an exec into a privileged pod).
-- Mirror of container_exposures (10-containers.sql).
create view pod_exposures as
  select namespace, name as pod, container, exposure, detail, file_id, locator, expected, spec_id, node_name
    from k8s_exposure_subjects
   where source = 'pod';

-- Whether each pod spec carries an API token for its service account, and why. Pods: the token
-- volume admission injected (authoritative). Templates: automountServiceAccountToken of the
-- template, else of the ServiceAccount, else true (what admission will do).
create view k8s_spec_tokens as
  select p.id as spec_id, p.source, p.namespace, p.service_account,
         case when p.source = 'pod' then p.token_volume is not null
              else coalesce(p.automount, sa.automount, 1) end as mounted,
         case when p.source = 'pod' then
                case when p.token_volume is not null then 'token volume ' || p.token_volume || ' mounted'
                     else 'no token volume' end
              when p.automount is not null then 'automountServiceAccountToken: ' || case p.automount when 1 then 'true' else 'false' end || ' in the pod template'
              when sa.automount is not null then 'automountServiceAccountToken: ' || case sa.automount when 1 then 'true' else 'false' end ||
                   ' on the service account'
              else 'automountServiceAccountToken unset on the template and the service account (mounted by default)' end as how,
         case when p.source = 'template' and p.automount is null and sa.automount is not null then sa.file_id else p.file_id end as token_file_id,
         case when p.source = 'pod' then coalesce(p.token_locator, p.locator)
              when p.automount is not null then json_extract(p.field_locators, '$.automount')
              when sa.automount is not null then sa.automount_locator
              else p.locator end as token_locator,
         sa.automount as sa_automount, sa.file_id as sa_file_id, sa.locator as sa_locator
    from k8s_pod_specs p
    left join k8s_service_accounts sa on sa.rowid = (select x.rowid from k8s_service_accounts x
                                                     where x.namespace = p.namespace and x.name = p.service_account limit 1);

-- Pod Security Admission labels per namespace.
create view k8s_namespace_security as
  select o.name as namespace, o.id as object_id, o.file_id, o.locator, o.created,
         (select value from k8s_labels l where l.object_id = o.id and l.key = 'pod-security.kubernetes.io/enforce') as psa_enforce,
         (select value from k8s_labels l where l.object_id = o.id and l.key = 'pod-security.kubernetes.io/audit') as psa_audit,
         (select value from k8s_labels l where l.object_id = o.id and l.key = 'pod-security.kubernetes.io/warn') as psa_warn
    from k8s_objects o where o.kind = 'Namespace';

-- @after-load
create index k8s_objects_kind_ns_name on k8s_objects(kind, namespace, name);
create index k8s_labels_object on k8s_labels(object_id, key);
create index k8s_pod_specs_object on k8s_pod_specs(object_id);
create index k8s_pod_specs_sa on k8s_pod_specs(namespace, service_account);
create index k8s_pod_specs_name on k8s_pod_specs(namespace, name);
create index k8s_container_execs_container on k8s_container_execs(container_id);
create index k8s_containers_spec on k8s_containers(spec_id);
create index k8s_container_capabilities_container on k8s_container_capabilities(container_id);
create index k8s_volumes_spec on k8s_volumes(spec_id);
create index k8s_volume_mounts_spec on k8s_volume_mounts(spec_id, volume_name);
create index k8s_role_rules_role on k8s_role_rules(role_id);
create index k8s_roles_kind_name on k8s_roles(kind, name);
create index k8s_service_accounts_name on k8s_service_accounts(namespace, name);
create index k8s_binding_subjects_binding on k8s_binding_subjects(binding_id);
