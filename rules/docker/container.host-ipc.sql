-- id: container.host-ipc
-- title: Container shares the host IPC namespace
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: A container in the host IPC namespace reads and writes the host's shared memory segments and message queues, which other processes use to exchange data that may include secrets. It removes one of the walls that make a
--   container a container.
-- remediation: Remove --ipc=host (hostPID/hostNetwork/hostIPC in Kubernetes) unless the workload
--   is a node agent that truly needs it, and then restrict who can deploy such workloads.
-- false-positives: Node-level agents (CNI plugins, kube-proxy, monitoring) use host namespaces by
--   design.
select subject_kind, subject_name, subject_namespace, subject_id, subject_container, subject_image, subject_host,
       runtime || ' reports ipc_mode=host' as reason,
       file_id,
       coalesce(json_extract(field_locators, '$.ipc_mode'), locator) as locator,
       started_at as first_seen
  from container_subjects
 where ipc_mode = 'host'
