-- id: container.runtime-socket-mount
-- title: Container runtime socket mounted into a container
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1611, T1552.007
-- red-flag: true
-- description: Whoever can talk to the Docker, containerd or CRI-O socket can start a privileged
--   container with the host's root filesystem mounted: it is root on the host, with no exploit
--   needed. A container holding the socket (or the directory that contains it) is one API call
--   away from owning the node, and so is anyone who compromises that container.
-- remediation: Remove the socket mount. CI runners and management tools that need a Docker API
--   should use a rootless or remote builder, or an authorising proxy that allows only the calls
--   they need. Review the daemon's logs for containers this one created.
select s.subject_kind, s.subject_name, s.subject_namespace, s.subject_id, s.subject_container, s.subject_image, s.subject_host,
       m.source as key,
       case when m.source glob '*.sock'
            then 'runtime socket ' || m.source || ' mounted at ' || coalesce(m.destination, '?')
            else 'directory ' || m.source || ', which holds the runtime socket, mounted at ' || coalesce(m.destination, '?') end ||
         case when m.read_only = 1 then ' (read-only mount: the socket is still writable)' else '' end as reason,
       s.file_id,
       m.locator as locator,
       s.started_at as first_seen
  from container_subjects s
  join container_host_mounts m on m.container_row = s.id and m.exposure = 'runtime-socket'
