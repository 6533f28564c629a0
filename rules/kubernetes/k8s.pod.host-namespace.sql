-- id: k8s.pod.host-namespace
-- title: Pod shares a host namespace
-- severity: SUSPICIOUS
-- group: kubernetes
-- attack: T1611
-- description: hostPID lets the pod see and signal (with ptrace, enter) every process of the node,
--   including other pods' and the kubelet's; hostNetwork gives it the node's interfaces (the
--   kubelet and cloud metadata APIs on localhost, traffic sniffing, bypass of NetworkPolicies);
--   hostIPC shares the node's shared memory. Each is a step towards the node.
-- remediation: Remove hostPID / hostNetwork / hostIPC unless the workload is a vetted node agent;
--   enforce Pod Security Admission "baseline" in the namespace.
-- false-positives: CNI plugins, node exporters and kube-proxy use hostNetwork; control-plane
--   static pods and kube-proxy of a kubeadm cluster (recognised by namespace, owner, image and
--   service account) are not reported.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id,
       ns.field as key,
       s.owner_desc || ': ' || ns.field || ': true' || coalesce(' on node ' || s.node_name, '') ||
         ' (containers: ' || (select group_concat(c.name, ', ') from k8s_containers c where c.spec_id = s.id) || ')' as reason,
       s.file_id,
       coalesce(json_extract(s.field_locators, '$.' || ns.column), s.locator) as locator,
       s.created as first_seen
  from k8s_spec_subjects s
  join (select 'host-pid' as exposure, 'hostPID' as field, 'host_pid' as column
        union all select 'host-network', 'hostNetwork', 'host_network'
        union all select 'host-ipc', 'hostIPC', 'host_ipc') ns
    on (ns.column = 'host_pid' and s.host_pid = 1) or (ns.column = 'host_network' and s.host_network = 1)
    or (ns.column = 'host_ipc' and s.host_ipc = 1)
 where s.reportable = 1
   and not (s.system_component is not null and instr(',' || s.expected_exposures || ',', ',' || ns.exposure || ',') > 0)
