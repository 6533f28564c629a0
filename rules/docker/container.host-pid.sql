-- id: container.host-pid
-- title: Container shares the host PID namespace
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: A container in the host PID namespace sees and can signal every process on the host, read their environment and memory through /proc, and with CAP_SYS_PTRACE inject into them; nsenter -t 1 gives a host shell when combined with privileges. It removes one of the walls that make a
--   container a container.
-- remediation: Remove --pid=host (hostPID/hostNetwork/hostIPC in Kubernetes) unless the workload
--   is a node agent that truly needs it, and then restrict who can deploy such workloads.
-- false-positives: Node-level agents (CNI plugins, kube-proxy, monitoring) use host namespaces by
--   design.
select subject_kind, subject_name, subject_namespace, subject_id, subject_container, subject_image, subject_host,
       runtime || ' reports pid_mode=host' as reason,
       file_id,
       coalesce(json_extract(field_locators, '$.pid_mode'), locator) as locator,
       started_at as first_seen
  from container_subjects
 where pid_mode = 'host'
