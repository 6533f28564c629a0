-- id: container.dangerous-capability
-- title: Container granted a dangerous capability
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: Capabilities split root's power; some of them are nearly all of it. SYS_ADMIN
--   allows mounting filesystems and cgroups (the release_agent escape), SYS_MODULE loads kernel
--   code, SYS_PTRACE attaches to other processes, NET_ADMIN reconfigures networking. Added to a
--   container, they turn a foothold into host compromise.
-- remediation: Drop the capability (remove it from --cap-add / capabilities.add). If the workload
--   needs one narrow privilege, find the capability or device that grants exactly that.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       k.capability as key,
       'capability ' || k.capability || ' added' as reason,
       s.file_id,
       k.locator as locator,
       s.started_at as first_seen
  from container_subjects s
  join container_capabilities k on k.container_row = s.id and k.action = 'add'
 where k.capability in (select value from config_list where name = 'dangerous_capabilities')
