-- id: container.no-security-profile
-- title: Container without seccomp / AppArmor confinement
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: Seccomp and AppArmor are what stop a root process in a container from using the
--   kernel interfaces that most escapes need (mount, keyctl, unshare, ptrace of other
--   processes, bpf). A container started with seccomp or AppArmor `unconfined` has none of these
--   guards, and one that also holds extra privileges (privileged, an added dangerous capability or
--   a host namespace) without `no-new-privileges` lets any setuid binary inside it regain
--   privileges.
-- remediation: Remove `seccomp=unconfined` / `apparmor=unconfined` (use the runtime default or
--   a tailored profile), and add `--security-opt no-new-privileges` to containers that keep extra
--   privileges.
-- false-positives: ctr-created containers have no seccomp unless `--seccomp` is given; debugging
--   containers are sometimes run unconfined on purpose.
with privileged_ish as (
  select s.id,
         case when s.privileged = 1 then 'privileged'
              when s.pid_mode = 'host' or s.network_mode = 'host' or s.ipc_mode = 'host' then 'a host namespace'
              else (select 'capability ' || k.capability from container_capabilities k
                     where k.container_row = s.id and k.action = 'add'
                       and k.capability in (select value from config_list where name = 'dangerous_capabilities') limit 1)
         end as why
    from container_subjects s
)
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       'seccomp' as key,
       'seccomp profile is unconfined' ||
         case when s.privileged = 1 then ' (implied by privileged)' else '' end ||
         ' (' || s.runtime || ')' as reason,
       s.file_id, coalesce(json_extract(s.field_locators, '$.seccomp_profile'), s.locator) as locator
  from container_subjects s
 where s.seccomp_profile = 'unconfined'
union all
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       'apparmor', 'AppArmor profile is unconfined (' || s.runtime || ')',
       s.file_id, coalesce(json_extract(s.field_locators, '$.apparmor_profile'), s.locator)
  from container_subjects s
 where s.apparmor_profile = 'unconfined'
union all
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       'no-new-privileges', 'no-new-privileges is not set although the container has ' || p.why,
       s.file_id, coalesce(json_extract(s.field_locators, '$.no_new_privileges'), s.locator)
  from container_subjects s join privileged_ish p on p.id = s.id
 where p.why is not null and coalesce(s.no_new_privileges, 0) = 0
