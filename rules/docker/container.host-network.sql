-- id: container.host-network
-- title: Container shares the host network namespace
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: A container in the host network namespace binds host ports and reaches services listening on the host's loopback interface (kubelet, etcd, the Docker API, cloud metadata endpoints), and can sniff host traffic with CAP_NET_RAW. It removes one of the walls that make a
--   container a container.
-- remediation: Remove --network=host (hostPID/hostNetwork/hostIPC in Kubernetes) unless the workload
--   is a node agent that truly needs it, and then restrict who can deploy such workloads.
-- false-positives: Node-level agents (CNI plugins, kube-proxy, monitoring) use host namespaces by
--   design.
select subject_kind, subject_name, subject_namespace, subject_id, subject_container, subject_image, subject_host,
       runtime || ' reports network_mode=host' as reason,
       file_id,
       coalesce(json_extract(field_locators, '$.network_mode'), locator) as locator,
       started_at as first_seen
  from container_subjects
 where network_mode = 'host'
