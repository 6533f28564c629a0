-- Host process state from collect.sh's derived /proc tables: what the escape rules compare the
-- container configuration against.

-- host/processes.tsv
create table host_processes (
  file_id integer not null references files(id),
  locator text not null,              -- line N
  pid integer not null,
  ppid integer,
  uid integer,
  user text,
  start_epoch integer,
  start_utc text,
  state text,
  comm text,
  args text
);

-- host/proc-status.tsv
create table proc_status (
  file_id integer not null references files(id),
  locator text not null,
  pid integer not null,
  name text,
  uid text,                           -- real,effective,saved,fs
  euid integer,
  cap_eff text,                       -- 16 hex digits
  cap_prm text,
  cap_bnd text,
  seccomp integer,                    -- 0 off, 1 strict, 2 filter
  no_new_privs integer
);

-- host/proc-ns.tsv (every process) and host/ns-reference.tsv (reference = 1).
create table proc_ns (
  file_id integer not null references files(id),
  locator text not null,
  pid integer not null,
  ns text not null,                   -- pid, net, mnt, ipc, uts, cgroup, user, ...
  inode text,                         -- the number inside pid:[4026531836]
  link text,
  reference integer not null default 0
);

-- host/proc-cgroup.tsv: one row per line of /proc/<pid>/cgroup, with the container it names.
create table proc_cgroup (
  file_id integer not null references files(id),
  locator text not null,
  pid integer not null,
  hierarchy text,                     -- hierarchy id (0 on cgroup v2)
  controllers text,                   -- memory, pids, name=systemd, '' on v2
  path text,
  container_id text,                  -- 64 hex (docker/containerd) or pod container id, parsed from the path
  pod_uid text                        -- kubepods...pod<uid>... when present
);

-- host/cgroup-release-agent.tsv and host/kernel-knobs.tsv (path / value).
create table host_knobs (
  file_id integer not null references files(id),
  locator text not null,
  source text not null,               -- cgroup-release-agent | kernel-knobs
  path text not null,
  value text
);

-- Processes mapped to containers through their cgroup lines (one row per pid and container).
create view process_containers as
  select pc.pid, pc.container_id, min(pc.file_id) as file_id, min(pc.locator) as locator,
         count(*) as lines_in_container,
         (select count(*) from proc_cgroup a where a.pid = pc.pid and a.file_id = pc.file_id) as lines_total
    from proc_cgroup pc
   where pc.container_id is not null
   group by pc.pid, pc.container_id;

-- Namespaces of a process that equal the host reference namespace of the same type.
create view process_host_namespaces as
  select p.pid, p.ns, p.inode, p.file_id, p.locator, r.file_id as ref_file_id, r.locator as ref_locator
    from proc_ns p join proc_ns r on r.reference = 1 and r.ns = p.ns and r.inode = p.inode
   where p.reference = 0 and p.ns in ('pid', 'net', 'mnt', 'ipc', 'uts');

-- @after-load
create index proc_cgroup_pid on proc_cgroup(pid);
create index proc_cgroup_container on proc_cgroup(container_id);
create index proc_ns_pid on proc_ns(pid, ns);
create index host_processes_pid on host_processes(pid);
