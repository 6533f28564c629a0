-- id: k8s.pod.privilege-escalation
-- title: Pod container may gain privileges (allowPrivilegeEscalation, seccomp Unconfined)
-- severity: INFO
-- group: kubernetes
-- attack:
-- description: allowPrivilegeEscalation not set to false leaves no_new_privs off, so setuid
--   binaries and file capabilities inside the container can raise privileges; a seccomp profile
--   of Unconfined removes the syscall filter that blocks most kernel-exploit and escape paths.
--   Neither is an escape by itself; both make one easier.
-- remediation: Set allowPrivilegeEscalation: false and seccompProfile type RuntimeDefault (pod or
--   container securityContext); Pod Security Admission "restricted" requires both.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, c.name as subject_container, c.image as subject_image,
       s.owner_desc || ': container ' || c.name || ': ' ||
         case when c.allow_privilege_escalation = 1 then 'allowPrivilegeEscalation: true'
              when c.allow_privilege_escalation is null then 'allowPrivilegeEscalation not set (defaults to true)'
              else 'allowPrivilegeEscalation: false' end || ', ' ||
         case when c.seccomp_profile = 'Unconfined' then 'seccomp profile Unconfined'
              when c.seccomp_profile is null then 'no seccomp profile (Unconfined unless the kubelet runs with --seccomp-default)'
              else 'seccomp ' || c.seccomp_profile end as reason,
       s.file_id,
       case when coalesce(c.allow_privilege_escalation, 1) = 1 then json_extract(c.field_locators, '$.allow_privilege_escalation')
            else json_extract(c.field_locators, '$.seccomp_profile') end as locator,
       s.created as first_seen
  from k8s_spec_subjects s
  join k8s_containers c on c.spec_id = s.id
 where s.reportable = 1 and s.system_component is null and c.privileged = 0
   and (coalesce(c.allow_privilege_escalation, 1) = 1 or c.seccomp_profile = 'Unconfined')
