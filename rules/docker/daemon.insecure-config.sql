-- id: daemon.insecure-config
-- title: Docker daemon configured insecurely
-- severity: INFO
-- group: docker
-- attack: T1133
-- description: dockerd settings decide how far a compromised container or a rogue image can go:
--   a TCP socket without TLS verification hands out root, insecure registries accept images
--   over plain HTTP (tampering in transit), experimental features are less reviewed, no
--   userns-remap makes container root the host's root, inter-container communication (icc) on
--   the default bridge lets any container reach any other, and live-restore off hides nothing but
--   makes daemon restarts kill evidence. Flags come from the daemon command line and daemon.json.
-- remediation: Set userns-remap, icc=false, no-new-privileges and live-restore in daemon.json;
--   remove insecure-registries and tcp hosts without tlsverify; disable experimental.
with daemons as (
  -- one per dockerd command line (pid) or daemon.json file
  select distinct file_id, pid, source from daemon_settings where daemon = 'dockerd'
  union
  select p.file_id, p.pid, 'cmdline' from daemon_processes p where p.comm = 'dockerd'
),
daemon_subject as (
  select d.*, coalesce((select h.host from files f join inputs h on h.id = f.input_id where f.id = d.file_id), 'host') as host,
         coalesce((select min(p.locator) from daemon_processes p where p.file_id = d.file_id and p.pid = d.pid), '') as locator
    from daemons d
),
configured as (
  select name, value from daemon_settings where daemon = 'dockerd'
)
select 'daemon' as subject_kind, 'dockerd' || coalesce(' pid ' || s.pid, ' (' || s.source || ')') as subject_name, s.host as subject_host,
       x.name as key, x.reason, x.severity, s.file_id, coalesce(x.locator, s.locator) as locator
  from daemon_subject s
  join (
    select d.file_id, d.pid, 'insecure-registries' as name, 'insecure registry ' || d.value || ' (images pulled over plain HTTP, unverified)' as reason,
           'SUSPICIOUS' as severity, d.locator
      from daemon_settings d where d.daemon = 'dockerd' and d.name = 'insecure-registries'
    union all
    select d.file_id, d.pid, 'tcp-without-tls', 'TCP host ' || d.value || ' without tlsverify', 'SUSPICIOUS', d.locator
      from daemon_settings d where d.daemon = 'dockerd' and d.name = 'hosts' and d.value glob 'tcp://*'
       and not exists (select 1 from daemon_settings t where t.file_id = d.file_id and coalesce(t.pid, -1) = coalesce(d.pid, -1) and t.name = 'tlsverify' and t.value = 'true')
    union all
    select d.file_id, d.pid, 'experimental', 'experimental features enabled', 'INFO', d.locator
      from daemon_settings d where d.daemon = 'dockerd' and d.name = 'experimental' and d.value = 'true'
    union all
    select d.file_id, d.pid, 'icc', 'inter-container communication on the default bridge (icc) enabled', 'INFO', d.locator
      from daemon_settings d where d.daemon = 'dockerd' and d.name = 'icc' and d.value = 'true'
    union all
    select d.file_id, d.pid, 'live-restore', 'live-restore explicitly disabled', 'INFO', d.locator
      from daemon_settings d where d.daemon = 'dockerd' and d.name = 'live-restore' and d.value = 'false'
  ) x on x.file_id = s.file_id and coalesce(x.pid, -1) = coalesce(s.pid, -1)
union all
-- what no flag and no daemon.json in the evidence sets (defaults that weaken isolation)
select 'daemon', 'dockerd' || coalesce(' pid ' || s.pid, ' (' || s.source || ')'), s.host, 'defaults',
       'not set on this daemon or in any daemon.json: ' ||
         trim(case when not exists (select 1 from configured where name = 'userns-remap') then 'userns-remap (container root = host root); ' else '' end ||
              case when not exists (select 1 from configured where name = 'icc') then 'icc=false (containers on the default bridge can reach each other); ' else '' end ||
              case when not exists (select 1 from configured where name = 'live-restore') then 'live-restore; ' else '' end ||
              case when not exists (select 1 from configured where name = 'no-new-privileges') then 'no-new-privileges' else '' end, '; '),
       'INFO', s.file_id, s.locator
  from daemon_subject s
 where s.source = 'cmdline'
   and (not exists (select 1 from configured where name = 'userns-remap') or not exists (select 1 from configured where name = 'icc'))
