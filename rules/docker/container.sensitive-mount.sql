-- id: container.sensitive-mount
-- title: Sensitive host path mounted into a container
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611
-- description: A bind mount of a sensitive host path (or of a parent directory of one) gives the
--   container the host's files: /etc (users, sudoers, cron), /root and /home (SSH keys),
--   /proc and /sys (kernel knobs), /var/lib/kubelet (pod credentials), or the whole root
--   filesystem. Writable, it is a direct escape; read-only, it still leaks credentials.
-- remediation: Remove the mount or narrow it to the one file or directory needed, mounted
--   read-only. Check the host path for files written by the container.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       m.source || ' -> ' || coalesce(m.destination, '?') as key,
       'host path ' || m.source || ' mounted at ' || coalesce(m.destination, '?') ||
         case when m.read_only = 1 then ' (read-only)' else ' (read-write)' end ||
         case when m.source <> m.sensitive_path then ', a parent of ' || m.sensitive_path else '' end as reason,
       s.file_id,
       m.locator as locator,
       s.started_at as first_seen
  from container_subjects s
  -- runtime sockets are container.runtime-socket-mount's (a red flag of their own)
  join container_host_mounts m on m.container_row = s.id and m.exposure = 'sensitive-mount'
