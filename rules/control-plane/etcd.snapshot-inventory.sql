-- id: etcd.snapshot-inventory
-- title: etcd snapshot inventory
-- severity: INFO
-- group: control-plane
-- attack:
-- description: What the etcd snapshot holds, by resource type and namespace, and at which level:
--   live keys (what `etcdctl get` shows), older revisions not yet compacted (deleted and
--   overwritten objects, readable by whoever holds the snapshot), and Secrets left on free
--   pages. The snapshot is the cluster's whole state, Secrets included: it is itself sensitive
--   evidence and its inventory says what an attacker who took a copy obtained.
-- remediation: Store snapshots encrypted with restricted access; compact and defragment etcd
--   after rotating compromised Secrets so that old revisions and free pages stop holding them.
select 'etcd-snapshot' as subject_kind,
       f.path as subject_name,
       i.host as subject_host,
       coalesce(s.live_keys, 0) || ' live keys, ' || coalesce(s.history_entries, 0) || ' older revisions, ' ||
         coalesce(s.free_page_findings, 0) || ' Secret(s) on free pages; Secrets live: ' ||
         (select count(*) from etcd_values v where v.file_id = s.file_id and v.level = 'live' and v.resource = 'secrets') ||
         ' (' || (select count(*) from etcd_values v where v.file_id = s.file_id and v.level = 'live' and v.resource = 'secrets' and v.value_kind = 'encrypted') ||
         ' encrypted); revision ' || coalesce(s.revision, '?') ||
         case when s.sha256_present = 1 then case when s.sha256_valid = 1 then '; etcdctl integrity hash verified' else '; etcdctl integrity hash MISMATCH' end
              else '; no etcdctl integrity hash' end as reason,
       s.file_id as file_id,
       'snapshot' as locator,
       json_object('table', json_object(
         'columns', json_array('level', 'resource', 'namespace', 'keys', 'encrypted', 'plaintext secrets'),
         'rows', (select json_group_array(json_array(level, resource, namespace, n, enc, plain))
                    from (select v.level, coalesce(v.resource, '(other)') as resource, coalesce(v.namespace, '') as namespace,
                                 count(*) as n, sum(v.value_kind = 'encrypted') as enc, sum(v.plaintext_secret_data) as plain
                            from etcd_values v where v.file_id = s.file_id and v.value_kind <> 'tombstone'
                           group by v.level, v.resource, v.namespace
                           order by v.level desc, v.resource, v.namespace)))) as details
  from etcd_snapshots s join files f on f.id = s.file_id join inputs i on i.id = f.input_id
