-- id: k8s.pod.runs-as-root
-- title: Pod container runs as root
-- severity: INFO
-- group: kubernetes
-- attack:
-- description: The container runs as uid 0, either because runAsUser is 0 or because neither
--   runAsUser nor runAsNonRoot is set at pod or container level (the image's USER decides, and
--   most images run as root). Root in a container is not root on the node, but every other
--   exposure (a hostPath, a capability, a kernel bug) becomes far easier to turn into an escape;
--   combined with one it is reported as SUSPICIOUS.
-- remediation: Set runAsNonRoot: true and a non-zero runAsUser in the pod securityContext; build
--   images with a non-root USER.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, c.name as subject_container, c.image as subject_image,
       case when x.exposures is not null then 'SUSPICIOUS' end as severity,
       s.owner_desc || ': container ' || c.name ||
         case when c.run_as_user = 0 then ' runs as root (runAsUser: 0)'
              else ' runs as the image''s default user, root unless the image sets USER (no runAsUser, no runAsNonRoot)' end ||
         coalesce('; combined with ' || x.exposures || ', so SUSPICIOUS', '') as reason,
       s.file_id, json_extract(c.field_locators, '$.run_as_user') as locator, s.created as first_seen
  from k8s_spec_subjects s
  join k8s_containers c on c.spec_id = s.id
  left join (select e.spec_id, group_concat(distinct e.exposure) as exposures
               from k8s_exposure_subjects e where e.expected = 0 group by e.spec_id) x on x.spec_id = s.id
 where s.reportable = 1 and s.system_component is null
   and (c.run_as_user = 0 or (c.run_as_user is null and coalesce(c.run_as_non_root, 0) = 0))
