-- id: k8s.pod.dangerous-capability
-- title: Dangerous Linux capability added to a pod container
-- severity: SUSPICIOUS
-- group: kubernetes
-- attack: T1611
-- description: securityContext.capabilities.add grants a capability from the configured
--   dangerous_capabilities list: SYS_ADMIN (mount, cgroup release_agent escapes), SYS_PTRACE
--   (inject into processes, with hostPID into the node's), SYS_MODULE (load kernel modules),
--   NET_ADMIN (rewrite the node's or the pod's network), ALL.
-- remediation: Drop the capability (drop: [ALL], then add back only what the process needs);
--   enforce Pod Security Admission "baseline" or "restricted".
select e.subject_kind, e.subject_name, e.subject_namespace, e.subject_id, e.container as subject_container, e.subject_image,
       k.capability as key,
       e.owner_desc || ': ' ||
         case e.container_type when 'init' then 'init container ' when 'ephemeral' then 'ephemeral container ' else 'container ' end ||
         e.container || ' adds capability ' || k.capability || coalesce(' on node ' || e.node_name, '') as reason,
       e.file_id, e.locator, e.created as first_seen
  from k8s_exposure_subjects e
  join k8s_container_capabilities k on k.container_id = e.container_id and k.locator = e.locator and k.action = 'add'
 where e.exposure = 'capability' and e.reportable = 1 and e.expected = 0
