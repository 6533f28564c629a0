-- id: k8s.pod.runs-as-root
-- title: Pod container runs as root
-- severity: INFO
-- group: kubernetes
-- attack:
-- description: The container runs as uid 0, either because runAsUser is 0 or because neither
--   runAsUser nor runAsNonRoot is set at pod or container level (the image's USER decides, and
--   most images run as root). Root in a container is not root on the node, but every other
--   exposure (a hostPath, a capability, a kernel bug) becomes far easier to turn into an escape;
--   combined with one it is reported as SUSPICIOUS, per pod. Otherwise the pods of one controller
--   are reported once, as their workload (subject kind deployment, daemonset, ...), naming them.
-- remediation: Set runAsNonRoot: true and a non-zero runAsUser in the pod securityContext; build
--   images with a non-root USER.
with hits as (
  select s.id, s.source, s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.owner_desc, s.namespace,
         s.workload_kind, s.workload_name, s.created, s.file_id,
         c.name as container, c.image, c.run_as_user, json_extract(c.field_locators, '$.run_as_user') as locator, x.exposures,
         case when s.source = 'pod' and x.exposures is null and s.workload_kind is not null and s.workload_kind <> 'Node'
              then s.namespace || '/' || s.workload_kind || '/' || s.workload_name || '/' || c.name || '/' || (c.run_as_user is null) end as grp
    from k8s_spec_subjects s
    join k8s_containers c on c.spec_id = s.id
    left join (select e.spec_id, group_concat(distinct e.exposure) as exposures
                 from k8s_exposure_subjects e where e.expected = 0 group by e.spec_id) x on x.spec_id = s.id
   where s.reportable = 1 and s.system_component is null
     and (c.run_as_user = 0 or (c.run_as_user is null and coalesce(c.run_as_non_root, 0) = 0))
),
ranked as (
  select h.*, row_number() over (partition by grp order by subject_name) as n, count(*) over (partition by grp) as total
    from hits h where grp is not null
)
select subject_kind, subject_name, subject_namespace, subject_id, container as subject_container, image as subject_image,
       case when exposures is not null then 'SUSPICIOUS' end as severity,
       owner_desc || ': container ' || container ||
         case when run_as_user = 0 then ' runs as root (runAsUser: 0)'
              else ' runs as the image''s default user, root unless the image sets USER (no runAsUser, no runAsNonRoot)' end ||
         coalesce('; combined with ' || exposures || ', so SUSPICIOUS', '') as reason,
       file_id, locator, created as first_seen, null as evidence
  from hits where grp is null
union all
select lower(workload_kind), workload_name, subject_namespace, null, container, max(image), null,
       total || ' pod' || case when total = 1 then '' else 's' end || ' of ' || workload_kind || ' ' || workload_name || ' (' ||
         group_concat(subject_name, ', ') filter (where n <= 5) || case when total > 5 then ', …' else '' end ||
         '): container ' || container ||
         case when max(run_as_user) = 0 then ' runs as root (runAsUser: 0)'
              else ' runs as the image''s default user, root unless the image sets USER (no runAsUser, no runAsNonRoot)' end,
       null, null, min(created),
       json_group_array(json_object('file_id', file_id, 'locator', locator)) filter (where n <= 10)
  from ranked group by grp
