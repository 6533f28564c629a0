-- etcd snapshots read natively (src/etcd-snapshot/): one row per snapshot with what
-- `etcdctl snapshot status` prints and the integrity checks; the values themselves go to
-- etcd_values (60-control-plane.sql), never with their content.
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

-- @after-load
create index etcd_values_resource on etcd_values(level, resource, namespace);
