-- id: container.privileged
-- title: Privileged container
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: A privileged container gets every capability, all host devices and no seccomp or
--   AppArmor confinement. Root inside it is root on the host: mounting the host disk, loading
--   a kernel module or writing a cgroup release_agent are one command away. It is the most
--   common first step of a container escape.
-- remediation: Remove --privileged (securityContext.privileged). Grant only the specific
--   capabilities or devices the workload needs, and check the host for escape artefacts if the
--   container ran untrusted code.
-- false-positives: CNI, storage and monitoring agents (e.g. node exporters, CSI drivers) often
--   run privileged by design; confirm the image and owner.
select subject_kind, subject_name, subject_namespace, subject_id, subject_container, subject_image, subject_host,
       runtime || ' reports privileged=true' ||
         case when state is not null then ' (state ' || state || ')' else '' end as reason,
       file_id,
       coalesce(json_extract(field_locators, '$.privileged'), locator) as locator,
       started_at as first_seen
  from container_subjects
 where privileged = 1
