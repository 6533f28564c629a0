-- id: etcd.secrets-unencrypted
-- title: Secrets stored in etcd without encryption at rest
-- severity: SUSPICIOUS
-- group: control-plane
-- attack: T1552.007
-- description: Without an --encryption-provider-config, or with `identity` as the first provider for
--   secrets, kube-apiserver writes Secret values to etcd in plaintext. Anyone who reads etcd's
--   data directory, a snapshot or a backup, or talks to etcd directly, then reads every password,
--   token and key of the cluster without going through the API server, its authorisation or its
--   audit log.
-- remediation: Configure an EncryptionConfiguration with aescbc/aesgcm/secretbox or (better) a KMS
--   v2 provider first for secrets, restart kube-apiserver, then rewrite existing Secrets
--   (`kubectl get secrets -A -o json | kubectl replace -f -`); snapshots and backups taken before
--   still hold plaintext values and must be protected or destroyed.
-- false-positives: Managed control planes encrypt etcd volumes at the disk level or with their own
--   KMS integration not visible in the node's flags.
-- Proof from the configuration: kube-apiserver without --encryption-provider-config.
select c.subject_kind, c.subject_name, c.subject_host,
       'encryption-at-rest' as key,
       case when c.source = 'manifest' then 'static pod manifest ' || f.path else 'running process' || coalesce(' (pid ' || c.pid || ')', '') end ||
         ': no --encryption-provider-config: Secrets are written to etcd unencrypted' as reason,
       c.file_id, c.locator,
       (select json_group_array(json_object('file_id', e.file_id, 'locator', e.locator))
          from encryption_config_files e join files ef on ef.id = e.file_id
         where e.status = 'no-flag' and ef.input_id = c.input_id) as evidence
  from component_subjects c join files f on f.id = c.file_id
 where c.component = 'kube-apiserver'
   and not exists (select 1 from component_flags x where x.instance_id = c.id and x.effective = 1
                    and x.name = 'encryption-provider-config' and x.value <> '')
union all
-- The same from the host process tables (host/daemon-cmdlines.tsv, host/processes.tsv) when the
-- control-plane files were not collected.
select 'component', 'kube-apiserver', p.host, 'encryption-at-rest',
       'running process' || coalesce(' (pid ' || p.pid || ')', '') || ': no --encryption-provider-config: Secrets are written to etcd unencrypted',
       p.file_id, p.locator, null
  from component_processes p
 where p.component = 'kube-apiserver' and ' ' || p.args || ' ' not glob '* -*encryption-provider-config*'
union all
-- The same seen through kubectl: the mirror pod kube-system/kube-apiserver-<node> of k8s/pods.json.
select 'component', 'kube-apiserver', s.node_name, 'encryption-at-rest',
       'pod ' || s.namespace || '/' || s.name || ' (kubectl, ' || f.path || '): no --encryption-provider-config: Secrets are written to etcd unencrypted',
       c.file_id, c.locator, null
  from k8s_containers c join k8s_pod_specs s on s.id = c.spec_id join files f on f.id = c.file_id
 where s.source = 'pod' and s.namespace = 'kube-system' and c.container_type = 'container'
   and (c.name = 'kube-apiserver' or json_extract(c.command, '$[0]') glob '*kube-apiserver')
   and not exists (select 1 from json_each(coalesce(c.command, '[]')) a where a.value glob '-*encryption-provider-config*')
   and not exists (select 1 from json_each(coalesce(c.args, '[]')) a where a.value glob '-*encryption-provider-config*')
union all
-- Proof from an EncryptionConfiguration: identity first for the first resource set that covers
-- secrets (`secrets`, `*.` = the core group, `*.*`), or no set covering secrets at all.
select 'component', 'kube-apiserver', i.host, 'encryption-at-rest',
       'EncryptionConfiguration ' || f.path || ': ' ||
         case when p.position is null then 'no resource set covers secrets: Secrets are written unencrypted'
              else 'identity is the first provider for ' || p.resources || ': new Secrets are written unencrypted' end,
       s.file_id, coalesce(p.locator, '/resources'), null
  from (select file_id, min(resource_set) as resource_set
          from encryption_providers q
         where exists (select 1 from json_each(q.resources) r where r.value in ('secrets', '*.', '*.*'))
         group by file_id
        union all
        select distinct file_id, null from encryption_providers
         where file_id not in (select file_id from encryption_providers q, json_each(q.resources) r where r.value in ('secrets', '*.', '*.*'))) s
  join files f on f.id = s.file_id join inputs i on i.id = f.input_id
  left join encryption_providers p on p.file_id = s.file_id and p.resource_set = s.resource_set and p.position = 0
 where s.resource_set is null or p.provider = 'identity'
-- Proof from an etcd snapshot (etcd_values, filled by the snapshot ingester), one finding per level:
union all
select 'component', 'kube-apiserver', i.host, 'snapshot-' || v.level,
       'etcd snapshot ' || f.path || ': ' || count(*) || ' Secret value(s) stored in plaintext ' ||
         case v.level when 'live' then 'in the live keyspace (' || group_concat(v.namespace || '/' || v.name, ', ') || ')'
                      when 'history' then 'in older revisions still in the snapshot (' || group_concat(distinct v.namespace || '/' || v.name) || '), even if encrypted now'
                      else 'on free pages (left over after compaction, invisible to etcdctl get)' end as reason,
       min(v.file_id), min(v.locator),
       json_group_array(json_object('file_id', v.file_id, 'locator', v.locator))
  from etcd_values v join files f on f.id = v.file_id join inputs i on i.id = f.input_id
 where v.plaintext_secret_data = 1
 group by f.id, v.level
