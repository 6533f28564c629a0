-- id: k8s.pod.privilege-escalation
-- title: Pod container may gain privileges (allowPrivilegeEscalation, seccomp Unconfined)
-- severity: INFO
-- group: kubernetes
-- attack:
-- description: allowPrivilegeEscalation not set to false leaves no_new_privs off, so setuid
--   binaries and file capabilities inside the container can raise privileges; a seccomp profile
--   of Unconfined removes the syscall filter that blocks most kernel-exploit and escape paths.
--   Neither is an escape by itself; both make one easier. The pods of one controller are reported
--   once, as their workload (subject kind deployment, daemonset, ...), naming them.
-- remediation: Set allowPrivilegeEscalation: false and seccompProfile type RuntimeDefault (pod or
--   container securityContext); Pod Security Admission "restricted" requires both.
with hits as (
  select s.id, s.source, s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.owner_desc, s.namespace,
         s.workload_kind, s.workload_name, s.created, s.file_id, c.name as container, c.image,
         case when c.allow_privilege_escalation = 1 then 'allowPrivilegeEscalation: true'
              when c.allow_privilege_escalation is null then 'allowPrivilegeEscalation not set (defaults to true)'
              else 'allowPrivilegeEscalation: false' end || ', ' ||
         case when c.seccomp_profile = 'Unconfined' then 'seccomp profile Unconfined'
              when c.seccomp_profile is null then 'no seccomp profile (Unconfined unless the kubelet runs with --seccomp-default)'
              else 'seccomp ' || c.seccomp_profile end as what,
         case when coalesce(c.allow_privilege_escalation, 1) = 1 then json_extract(c.field_locators, '$.allow_privilege_escalation')
              else json_extract(c.field_locators, '$.seccomp_profile') end as locator
    from k8s_spec_subjects s
    join k8s_containers c on c.spec_id = s.id
   where s.reportable = 1 and s.system_component is null and c.privileged = 0
     and (coalesce(c.allow_privilege_escalation, 1) = 1 or c.seccomp_profile = 'Unconfined')
),
grouped as (
  select h.*,
         case when source = 'pod' and workload_kind is not null and workload_kind <> 'Node'
              then namespace || '/' || workload_kind || '/' || workload_name || '/' || container || '/' || what end as grp
    from hits h
),
ranked as (
  select g.*, row_number() over (partition by grp order by subject_name) as n, count(*) over (partition by grp) as total
    from grouped g where grp is not null
)
select subject_kind, subject_name, subject_namespace, subject_id, container as subject_container, image as subject_image,
       owner_desc || ': container ' || container || ': ' || what as reason,
       file_id, locator, created as first_seen, null as evidence
  from grouped where grp is null
union all
select lower(workload_kind), workload_name, subject_namespace, null, container, max(image),
       total || ' pod' || case when total = 1 then '' else 's' end || ' of ' || workload_kind || ' ' || workload_name || ' (' ||
         group_concat(subject_name, ', ') filter (where n <= 5) || case when total > 5 then ', …' else '' end ||
         '): container ' || container || ': ' || what,
       null, null, min(created),
       json_group_array(json_object('file_id', file_id, 'locator', locator)) filter (where n <= 10)
  from ranked group by grp
