-- etcd snapshots read natively (src/etcd-snapshot/): one row per snapshot with what
-- `etcdctl snapshot status` prints and the integrity checks; the values themselves go to
-- etcd_values, never with their content.
create table etcd_snapshots (
  file_id integer not null references files(id),
  status_hash integer,                -- etcdctl snapshot status: hash, revision, totalKey, totalSize
  revision integer,
  total_keys integer,
  total_size integer,
  sha256_present integer,             -- the integrity hash etcdctl appends
  sha256_valid integer,
  meta_used integer,
  compact_revision integer,
  live_keys integer,
  history_entries integer,
  free_page_findings integer,
  tree_complete integer,
  problems text                       -- JSON array of {code, message, pageId}
);

-- The records of each snapshot: live (a key's latest revision), history (its older revisions) and
-- free-page (Secret data found in freed pages). Never holds a value itself.
create table etcd_values (
  file_id integer not null references files(id),
  locator text not null,              -- page / revision locator inside the snapshot
  level text not null,                -- live | history | free-page
  key text not null,
  resource text,                      -- secrets, pods, clusterrolebindings, ... (from the key)
  namespace text,
  name text,
  kind text,                          -- decoded Kubernetes kind, when known
  value_kind text,                    -- protobuf | json | cbor | encrypted | empty | unknown
  provider text,                      -- encryption provider (aescbc, aesgcm, secretbox, kms) when encrypted
  key_name text,                      -- encryption key name when encrypted
  plaintext_secret_data integer not null default 0, -- a Secret with data stored unencrypted
  revision integer,                   -- mod revision
  value_sha256 text
);

-- @after-load
create index etcd_values_resource on etcd_values(level, resource, namespace);
