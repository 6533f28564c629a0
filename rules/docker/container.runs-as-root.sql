-- id: container.runs-as-root
-- title: Container runs as root
-- severity: INFO
-- group: docker
-- attack:
-- description: A container whose process runs as uid 0 needs only one more weakness (a
--   writable host mount, an added capability, a kernel bug) to become root on the host. Without a
--   user namespace, root in the container is the host's uid 0.
-- remediation: Set a non-root USER in the image or `--user` / runAsUser / runAsNonRoot, or run
--   the daemon with userns-remap.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       case when coalesce(s.user, '') = '' then 'no user configured (the image default' ||
              case when i.config_user is not null then ' is also root' else ', root unless the image sets USER' end || ')'
            else 'configured user is ' || s.user end ||
         case when s.userns_mode = 'host' or s.userns_mode is null then '' else ' (user namespace ' || s.userns_mode || ')' end as reason,
       s.file_id, coalesce(json_extract(s.field_locators, '$.user'), s.locator) as locator
  from container_subjects s
  left join images i on i.image_id = s.image_id and i.source = 'inspect'
 where (coalesce(s.user, '') = '' and coalesce(i.config_user, '') in ('', '0', 'root') )
    or s.user in ('0', 'root') or s.user glob '0:*' or s.user glob 'root:*'
 group by s.id
