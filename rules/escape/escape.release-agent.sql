-- id: escape.release-agent
-- title: Host escape hook armed (cgroup release_agent, core_pattern, uevent_helper, binfmt)
-- severity: MALICIOUS
-- group: escape
-- attack: T1611
-- red-flag: true
-- description: The kernel runs some user-space programs as root in the host's context: the cgroup
--   v1 release_agent (when a cgroup with notify_on_release=1 empties), the core_pattern pipe
--   handler (on any crash), uevent_helper, modprobe and binfmt_misc interpreters. Pointing one at
--   a file inside a container's overlay filesystem, or arming notify_on_release inside a
--   container's cgroup, is the classic privileged-container escape (CVE-2022-0492 and the
--   `release_agent` technique). systemd's own release agent and the usual core handlers
--   (systemd-coredump, apport) are not reported.
-- remediation: Reset the knob (empty release_agent, notify_on_release=0, core_pattern to the
--   distribution's value), collect the file it points at, and treat the host as compromised.
with knobs as (
  select k.*, (select h.host from files f join inputs h on h.id = f.input_id where f.id = k.file_id) as host
    from host_knobs k
),
container_path as (
  select k.*,
         (k.value glob '*/overlay2/*' or k.value glob '*/overlayfs/*' or k.value glob '*/containerd/*snapshots*' or k.value glob '*/upper/*'
          or k.value glob '*/merged/*' or k.value glob '*/diff/*' or k.value glob '*/rootfs/*' or k.value glob '/tmp/*' or k.value glob '/dev/shm/*'
          or k.value glob '/var/tmp/*' or k.value glob '*|/tmp/*' or k.value glob '*|/dev/shm/*') as in_container
    from knobs k
)
select 'host' as subject_kind, coalesce(host, 'host') as subject_name, host as subject_host, path as key,
       'release_agent ' || path || ' = ' || value ||
         case when in_container then ' (a path inside a container filesystem or a temporary directory)' else '' end as reason,
       null as severity, 1 as red_flag, file_id, locator
  from container_path
 where source = 'cgroup-release-agent' and path glob '*/release_agent' and coalesce(value, '') <> ''
   and value not in ('/lib/systemd/systemd-cgroups-agent', '/usr/lib/systemd/systemd-cgroups-agent')
union all
select 'host', coalesce(host, 'host'), host, path,
       'notify_on_release=1 on ' || rtrim(replace(path, 'notify_on_release', ''), '/') ||
         case when path glob '*/docker/*' or path glob '*docker-*' or path glob '*kubepods*' or path glob '*cri-containerd*' or path glob '*crio-*' or path glob '*libpod*'
              then ', inside a container''s cgroup: the release_agent escape sets exactly this'
              else ' (armed: the hierarchy''s release_agent runs as root when this cgroup empties)' end,
       case when path glob '*/docker/*' or path glob '*docker-*' or path glob '*kubepods*' or path glob '*cri-containerd*' or path glob '*crio-*' or path glob '*libpod*'
              or exists (select 1 from knobs r where r.source = 'cgroup-release-agent' and r.path glob '*/release_agent' and coalesce(r.value, '') <> ''
                          and r.value not glob '*/systemd-cgroups-agent' and substr(k.path, 1, length(rtrim(r.path, 'release_agent'))) = rtrim(r.path, 'release_agent'))
            then null else 'SUSPICIOUS' end,
       case when path glob '*/docker/*' or path glob '*docker-*' or path glob '*kubepods*' or path glob '*cri-containerd*' or path glob '*crio-*' or path glob '*libpod*' then 1 else 0 end,
       file_id, locator
  from knobs k
 where source = 'cgroup-release-agent' and path glob '*/notify_on_release' and value = '1'
   -- systemd arms its own hierarchy; its agent is not reported above either
   and path not glob '/sys/fs/cgroup/systemd/*'
union all
select 'host', coalesce(host, 'host'), host, path,
       path || ' = ' || value ||
         case when in_container then ' (the handler is inside a container filesystem or a temporary directory)' else ' (unusual handler)' end,
       null, 1, file_id, locator
  from container_path
 where source = 'kernel-knobs'
   and ((path = '/proc/sys/kernel/core_pattern' and value glob '|*'
         and value not glob '|/lib/systemd/systemd-coredump*' and value not glob '|/usr/lib/systemd/systemd-coredump*'
         and value not glob '|/usr/share/apport/apport*' and value not glob '|/usr/libexec/abrt-hook-ccpp*'
         and value not glob '|/bin/false' and value not glob '|/usr/lib/ubuntu-report*')
        or (path = '/sys/kernel/uevent_helper' and coalesce(value, '') <> '')
        or (path = '/proc/sys/kernel/modprobe' and value not in ('/sbin/modprobe', '/usr/sbin/modprobe', '/bin/kmod', '/usr/bin/kmod', ''))
        or (path glob '/proc/sys/fs/binfmt_misc/*' and in_container))
