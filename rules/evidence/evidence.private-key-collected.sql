-- id: evidence.private-key-collected
-- title: Private key material in the evidence
-- severity: SUSPICIOUS
-- group: evidence
-- attack:
-- description: The evidence holds a PEM private key block, or an EncryptionConfiguration with the
--   keys that encrypt Secrets in etcd. collect.sh never collects keys (it copies
--   only files that contain a certificate and no private key), so this file was added by hand or
--   by another tool, or the bundle was altered after collection. Whoever holds the bundle now holds
--   the key: if it is a cluster key (a CA, etcd or API server key), it grants the access the key
--   was for. The key itself is never read into the case database or the report.
-- remediation: Handle the bundle as secret (restrict, encrypt, log who had it). Find out which key
--   it is and where it came from; if it belongs to the cluster and the bundle left the trusted
--   circle, rotate the key and the certificates it signed.
select 'file' as subject_kind, f.path as subject_name, i.host as subject_host,
       k.locator as key,
       'PEM ' || k.pem_type || ' block at ' || k.locator || ' of ' || f.path ||
         ': private key material is in the evidence (collect.sh never collects keys)' as reason,
       k.file_id, k.locator
  from pem_private_keys k join files f on f.id = k.file_id join inputs i on i.id = f.input_id
union all
select 'file', f.path, i.host, p.locator,
       'EncryptionConfiguration ' || f.path || ' holds the ' || p.provider || ' key(s) ' || coalesce(p.key_names, '') ||
         ' at ' || p.locator || ': whoever has the bundle can decrypt Secrets in etcd snapshots and backups',
       p.file_id, p.locator
  from encryption_providers p join files f on f.id = p.file_id join inputs i on i.id = f.input_id
 where p.key_material = 1
