-- One normalised container model, fed by docker inspect, crictl inspect and ctr container info,
-- so that each container rule is written once.

create table containers (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the container object in its file
  runtime text not null,              -- docker | cri | containerd
  container_id text not null,         -- full id (64 hex for docker/containerd)
  name text,                          -- without docker's leading '/'
  image text,                         -- image reference as configured (tag or digest)
  image_id text,                      -- content id (sha256:...)
  pod_name text,
  pod_namespace text,
  pod_uid text,
  state text,                         -- running | exited | created | ...
  pid integer,                        -- host pid of the container's init process (0 when not running)
  created_at text,
  started_at text,
  finished_at text,
  privileged integer not null default 0,
  pid_mode text,                      -- 'host' when sharing the host namespace, else as configured
  network_mode text,
  ipc_mode text,
  uts_mode text,
  userns_mode text,
  cgroupns_mode text,
  user text,                          -- configured user ('' = image default, usually root)
  readonly_rootfs integer,
  seccomp_profile text,               -- unconfined | runtime/default | localhost/<path> | null (runtime default)
  apparmor_profile text,
  no_new_privileges integer,
  cgroup_parent text,
  cgroup_path text,                   -- the container's cgroup (from the runtime, when it says)
  entrypoint text,                    -- JSON array
  command text,                       -- JSON array (cmd / args)
  healthcheck text,                   -- JSON array: the command docker runs as HEALTHCHECK (Config.Healthcheck.Test without CMD / CMD-SHELL)
  labels text,                        -- JSON object
  upper_dir text,                     -- overlay upperdir on the host, when known
  field_locators text                 -- JSON object: field name → JSON pointer of that setting in the file
);

create table container_capabilities (
  container_row integer not null references containers(id),
  capability text not null,           -- without the CAP_ prefix, upper case
  action text not null,               -- add | drop
  locator text not null
);

create table container_mounts (
  container_row integer not null references containers(id),
  type text,                          -- bind | volume | tmpfs | hostPath | ...
  source text,                        -- host path (bind) or volume name
  destination text,
  read_only integer not null default 0,
  propagation text,
  volume_name text,
  locator text not null
);

-- Each container once, from the runtime that configured it: ctr lists docker's containers
-- (namespace moby) and the CRI's (k8s.io) again.
create view configured_containers as
  select * from containers c
   where not (c.runtime = 'containerd'
              and exists (select 1 from containers d where d.container_id = c.container_id and d.runtime <> 'containerd'));

-- Containers with the standard finding subject columns: what container rules start from.
-- A container of a Kubernetes pod is reported as the pod, with the container named.
create view container_subjects as
  select c.*,
         case when c.pod_name is not null then 'pod' else 'container' end as subject_kind,
         coalesce(c.pod_name, c.name, substr(c.container_id, 1, 12)) as subject_name,
         c.pod_namespace as subject_namespace,
         c.container_id as subject_id,
         case when c.pod_name is not null then c.name end as subject_container,
         c.image as subject_image,
         i.host as subject_host
    from configured_containers c join files f on f.id = c.file_id join inputs i on i.id = f.input_id;

-- Where container runtimes keep their API sockets: the rootful defaults, k3s, the containerd that
-- older dockerd ran itself, plus every *.sock entry of the sensitive_host_paths setting.
create table known_runtime_sockets (path text primary key) without rowid;
insert into known_runtime_sockets values
  ('/var/run/docker.sock'), ('/run/docker.sock'), ('/var/run/docker/containerd/containerd.sock'),
  ('/run/containerd/containerd.sock'), ('/var/run/containerd/containerd.sock'),
  ('/run/crio/crio.sock'), ('/var/run/crio/crio.sock'), ('/run/cri-dockerd.sock'), ('/var/run/cri-dockerd.sock'),
  ('/run/dockershim.sock'), ('/var/run/dockershim.sock'), ('/run/podman/podman.sock'),
  ('/run/k3s/containerd/containerd.sock');

-- Host paths that give a container a runtime socket: each socket and every directory above it
-- (a mount of /run carries /run/containerd/containerd.sock with it), except / (a sensitive mount
-- instead) and /var (where /var/run is the usual symlink to /run, a mount of /var does not carry
-- the socket). The parent of a path is the path with its last segment trimmed.
create view runtime_socket_paths as
  with recursive up(path) as (
    select path from known_runtime_sockets
    union
    select value from config_list where name = 'sensitive_host_paths' and value glob '/*.sock'
    union
    select rtrim(rtrim(path, replace(path, '/', '')), '/') from up where path <> ''
  )
  select path from up where path not in ('', '/var');

-- File names that are a runtime socket wherever they live (a relocated or rootless socket).
create view runtime_socket_names as
  select distinct substr(path, length(rtrim(path, replace(path, '/', ''))) + 1) as name
    from known_runtime_sockets;

-- Host paths mounted into containers that matter, classified once for every rule and view:
-- `runtime-socket` (a runtime socket, or a directory holding one: runtime_socket_paths and
-- runtime_socket_names) or `sensitive-mount` (a sensitive_host_paths entry, or a parent of one;
-- sockets are the other class). `sensitive_path` is the configured path matched (the shortest,
-- for a parent). 30-kubernetes.sql classifies hostPath volumes by the same two views.
create view container_host_mounts as
  select m.*,
         case when socket then 'runtime-socket' else 'sensitive-mount' end as exposure,
         sensitive_path
    from (select m.*,
                 (rtrim(m.source, '/') in (select path from runtime_socket_paths)
                  or exists (select 1 from runtime_socket_names n where m.source glob '*/' || n.name)) as socket,
                 (select p.value from config_list p
                   where p.name = 'sensitive_host_paths' and p.value not glob '*.sock'
                     and (m.source = p.value or m.source = '/'
                          or substr(p.value, 1, length(rtrim(m.source, '/')) + 1) = rtrim(m.source, '/') || '/')
                   order by length(p.value) limit 1) as sensitive_path
            from container_mounts m
           where m.type in ('bind', 'hostPath')) m
   where socket or sensitive_path is not null;

-- Escape-enabling exposures of each container, one row each: what correlation rules join on
-- (a runtime alert or an exec in an exposed container means more than either alone).
create view container_exposures as
  select c.id as container_row, c.container_id, c.pod_name, c.pod_namespace, c.name,
         'privileged' as exposure, 'privileged=true' as detail, c.file_id,
         coalesce(json_extract(c.field_locators, '$.privileged'), c.locator) as locator
    from configured_containers c where c.privileged = 1
  union all
  select c.id, c.container_id, c.pod_name, c.pod_namespace, c.name, 'host-' || ns.kind, ns.kind || '_mode=host', c.file_id,
         coalesce(json_extract(c.field_locators, '$.' || ns.kind || '_mode'), c.locator)
    from configured_containers c
    join (select 'pid' as kind union all select 'network' union all select 'ipc') ns
      on (ns.kind = 'pid' and c.pid_mode = 'host') or (ns.kind = 'network' and c.network_mode = 'host')
      or (ns.kind = 'ipc' and c.ipc_mode = 'host')
  union all
  select c.id, c.container_id, c.pod_name, c.pod_namespace, c.name, 'capability', 'capability ' || k.capability || ' added', c.file_id, k.locator
    from configured_containers c join container_capabilities k on k.container_row = c.id and k.action = 'add'
   where k.capability in (select value from config_list where name = 'dangerous_capabilities')
  union all
  select c.id, c.container_id, c.pod_name, c.pod_namespace, c.name, m.exposure,
         'host path ' || m.source || ' mounted at ' || coalesce(m.destination, '?'), c.file_id, m.locator
    from configured_containers c join container_host_mounts m on m.container_row = c.id;

-- @after-load
create index containers_container_id on containers(container_id);
create index container_capabilities_row on container_capabilities(container_row);
create index container_mounts_row on container_mounts(container_row);
