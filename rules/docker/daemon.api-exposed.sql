-- id: daemon.api-exposed
-- title: Container daemon API listening on TCP
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1133, T1552.007
-- description: The Docker API is root on the host: whoever reaches it can start a privileged
--   container with the host's root filesystem mounted. On port 2375 (or any TCP host without
--   --tlsverify) it has no authentication at all — the most exploited container misconfiguration
--   (cryptojacking botnets scan for it). On 2376 with TLS client verification it is protected by
--   certificates, which must then be guarded like root credentials.
-- remediation: Remove tcp:// hosts from the daemon flags and daemon.json (use the unix socket, or
--   SSH); if remote access is required, use --tlsverify with client certificates and a firewall.
select 'host' as subject_kind,
       coalesce((select h.host from files f join inputs h on h.id = f.input_id where f.id = l.file_id), 'host') as subject_name,
       coalesce(l.process, 'unknown process') || ' :' || l.port as key,
       coalesce(l.process, 'a process') || ' listens on ' || l.local_address || ':' || l.port ||
         case when l.port = 2375 then ' (plain HTTP Docker API: no authentication)'
              when l.port = 2376 then ' (TLS Docker API port)' else '' end ||
         case when l.local_address in ('127.0.0.1', '::1', '[::1]') or l.local_address glob '127.*' then ', loopback only: any local user or host-network container can use it' else '' end as reason,
       case when l.port = 2375 or (l.port <> 2376 and l.process in ('dockerd', 'containerd')) then 1 else 0 end as red_flag,
       l.file_id, l.locator
  from listening_sockets l
 where l.port in (2375, 2376) or l.process in ('dockerd', 'containerd', 'docker-proxy-api')
union all
select 'host',
       coalesce((select h.host from files f join inputs h on h.id = f.input_id where f.id = d.file_id), 'host'),
       d.daemon || ' :' || coalesce(nullif(substr(d.value, length(rtrim(d.value, '0123456789')) + 1), ''), '2375'),
       d.daemon || ' is configured with host ' || d.value || ' (' || d.source || ')' ||
         case when exists (select 1 from daemon_settings t where t.file_id = d.file_id and coalesce(t.pid, -1) = coalesce(d.pid, -1)
                            and t.name = 'tlsverify' and t.value = 'true') then ', with --tlsverify'
              else ', without --tlsverify: anyone who reaches it is root' end,
       case when exists (select 1 from daemon_settings t where t.file_id = d.file_id and coalesce(t.pid, -1) = coalesce(d.pid, -1)
                          and t.name = 'tlsverify' and t.value = 'true') then 0 else 1 end,
       d.file_id, d.locator
  from daemon_settings d
 where d.name = 'hosts' and d.value glob 'tcp://*'
