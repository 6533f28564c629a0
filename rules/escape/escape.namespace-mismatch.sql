-- id: escape.namespace-mismatch
-- title: Process in a container's cgroup runs in the host's namespaces
-- severity: MALICIOUS
-- group: escape
-- attack: T1611
-- red-flag: true
-- description: A process sits in a container's cgroup (so the runtime and monitoring count it as
--   part of the container) but its pid / net / mnt / ipc / uts namespace is the host's
--   reference namespace, although the container's configuration asks for a private one. The
--   runtime never creates that state: it is what `nsenter -t 1 -a`, a host process attached to
--   the container's cgroup, or a breakout through a privileged mount leaves behind.
-- remediation: Preserve the host (memory and disk) before touching it; identify the process
--   tree and its parent, then isolate the host. Treat the host as compromised.
-- false-positives: A collector that ran inside a container itself (meta.env ENV_IN_CONTAINER=yes
--   with HOST_NS_SOURCE=/proc/self/ns) compares against its own namespaces; check the reference.
with mism as (
  select pc.pid, pc.container_id, pc.file_id as cg_file_id, pc.locator as cg_locator,
         hn.ns, hn.file_id as ns_file_id, hn.locator as ns_locator, hn.ref_file_id, hn.ref_locator, hn.inode
    from process_containers pc
    join process_host_namespaces hn on hn.pid = pc.pid
    join container_subjects c on c.container_id = pc.container_id -- one row per container (not ctr's duplicate)
   where (hn.ns = 'pid' and coalesce(c.pid_mode, '') <> 'host')
      or (hn.ns = 'net' and coalesce(c.network_mode, '') <> 'host')
      or (hn.ns = 'ipc' and coalesce(c.ipc_mode, '') <> 'host')
      or (hn.ns = 'uts' and coalesce(c.uts_mode, '') <> 'host')
      or hn.ns = 'mnt'
)
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       'pid ' || m.pid as key,
       'pid ' || m.pid || coalesce(' (' || p.comm || ': ' || substr(p.args, 1, 200) || ')', '') ||
         ' is in the cgroup of ' || s.subject_kind || ' ' || s.subject_name || ' but in the host ' ||
         (select group_concat(ns, '/') from (select distinct ns from mism x where x.pid = m.pid and x.container_id = m.container_id order by ns)) ||
         ' namespace(s), which the container''s configuration does not share' as reason,
       s.file_id,
       coalesce(json_extract(s.field_locators, '$.pid_mode'), s.locator) as locator,
       json_group_array(json_object('file_id', m.ns_file_id, 'locator', m.ns_locator))
 as evidence,
       p.start_utc as first_seen
  from mism m
  join container_subjects s on s.container_id = m.container_id
  left join host_processes p on p.pid = m.pid
 group by s.id, m.pid
union all
-- the cgroup line and the host reference, as evidence of the same finding; min(m.ns) picks the
-- first namespace by name, and SQLite takes the bare inode and reference columns from that row
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       'pid ' || m.pid, 'cgroup line of pid ' || m.pid || ' names container ' || substr(m.container_id, 1, 12) ||
         '; host reference ' || min(m.ns) || ' namespace is ' || m.inode,
       m.cg_file_id, m.cg_locator,
       json_array(json_object('file_id', m.ref_file_id, 'locator', m.ref_locator)),
       null
  from mism m join container_subjects s on s.container_id = m.container_id
 group by s.id, m.pid
