-- id: escape.host-namespace-shared
-- title: Container processes live in host namespaces the configuration asked for
-- severity: SUSPICIOUS
-- group: escape
-- attack: T1611
-- description: The container is configured to share a host namespace (host PID, network, IPC or
--   UTS) and its processes are indeed in the host's namespace: the exposure is live, not only on
--   paper. With host PID a root process in the container can see, signal and ptrace every host
--   process (and reach their root filesystems through /proc/<pid>/root); with host network it
--   reaches every service bound to localhost.
-- remediation: Remove the host namespace from the container unless it is an audited node agent;
--   check what the container's processes did with it.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       hn.ns as key,
       count(distinct pc.pid) || ' process(es) in the container share the host ' || hn.ns || ' namespace (' || hn.inode ||
         '), as configured (' || case hn.ns when 'pid' then 'pid_mode' when 'net' then 'network_mode' when 'ipc' then 'ipc_mode' else 'uts_mode' end || '=host)' as reason,
       s.file_id,
       coalesce(json_extract(s.field_locators, case hn.ns when 'pid' then '$.pid_mode' when 'net' then '$.network_mode' when 'ipc' then '$.ipc_mode' else '$.uts_mode' end), s.locator) as locator,
       json_group_array(json_object('file_id', hn.file_id, 'locator', hn.locator)) as evidence
  from process_containers pc
  join process_host_namespaces hn on hn.pid = pc.pid
  join container_subjects s on s.container_id = pc.container_id
 where (hn.ns = 'pid' and s.pid_mode = 'host') or (hn.ns = 'net' and s.network_mode = 'host')
    or (hn.ns = 'ipc' and s.ipc_mode = 'host') or (hn.ns = 'uts' and s.uts_mode = 'host')
 group by s.id, hn.ns
