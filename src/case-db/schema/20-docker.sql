-- Docker / containerd beyond the container model: images, their history and layers, container
-- filesystem changes, volumes, daemon configuration and listening sockets.

-- One row per image, from `docker image inspect` (kind docker-image-inspect) or a listing
-- (`docker images`, kind docker-images) or a `docker save` archive's config.
create table images (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,
  image_id text not null,             -- sha256:<64 hex>
  repo_tags text,                     -- JSON array of repo:tag
  repo_digests text,                  -- JSON array of repo@sha256:...
  created_at text,
  size integer,                       -- bytes, when known
  config_user text,
  entrypoint text,                    -- JSON array
  command text,                       -- JSON array
  labels text,                        -- JSON object
  source text not null                -- inspect | listing | save
);

-- One row per reference (repository:tag or digest) naming an image, from any source.
create table image_refs (
  file_id integer not null references files(id),
  locator text not null,
  image_id text,                      -- sha256:<64 hex> when the source says
  repository text,                    -- e.g. docker.io/library/nginx, cf-fixture/busybox
  tag text,                           -- null when referenced by digest only or <none>
  digest text,                        -- sha256:... of the manifest, when pinned/known
  registry text                       -- registry host (docker.io when implicit)
);

-- `docker history --no-trunc` (newest step first, as docker prints; step 0 = oldest here).
create table image_history (
  file_id integer not null references files(id),
  locator text not null,              -- line N of the JSON lines
  image_id text,                      -- the image the history belongs to (from the file's path or the newest step)
  step integer not null,              -- 0 = oldest (base)
  layer_id text,                      -- ID column (sha256:... or <missing>)
  created_at text,
  created_by text,                    -- the instruction (attacker-controlled text)
  comment text,
  size_bytes integer,                 -- Size parsed from docker's human units (approximate)
  empty_layer integer not null default 0
);

-- Layers of a `docker save` archive, in manifest order (0 = base), with totals.
create table image_layers (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- path of the layer tar inside the archive
  image_id text,
  layer_index integer,                -- null when the manifest did not list it
  created_by text,                    -- from the config history (non-empty layers, in order)
  bytes integer,                      -- size of the layer tar
  files_added integer not null default 0,
  files_deleted integer not null default 0
);

-- Every entry of every layer tar: what a layer added or changed, and whiteouts (deletions).
create table layer_files (
  layer_row integer not null references image_layers(id),
  path text not null,                 -- absolute path in the image (/usr/bin/nc); for whiteouts the deleted path
  op text not null,                   -- add | delete | opaque (directory contents replaced)
  type text,                          -- file | directory | symlink | link | other
  mode integer,                       -- permission bits incl. setuid/setgid/sticky
  size integer,
  link_target text
);

-- `docker ps -a --format '{{json .}}'`.
create table docker_ps (
  file_id integer not null references files(id),
  locator text not null,
  container_id text not null,
  name text,
  image text,
  command text,
  state text,
  status text,
  created_at text,
  mounts text,
  ports text
);

-- `docker diff <id>` (A/C/D + path); container id from the file's path.
create table container_diffs (
  file_id integer not null references files(id),
  locator text not null,              -- line N
  container_id text,
  change text not null,               -- A | C | D
  path text not null
);

-- `docker volume inspect`.
create table volumes (
  file_id integer not null references files(id),
  locator text not null,
  name text not null,
  driver text,
  mountpoint text,
  created_at text,
  labels text,
  options text
);

-- Daemon settings from daemon.json and daemon command lines, one row per setting.
create table daemon_settings (
  file_id integer not null references files(id),
  locator text not null,
  daemon text not null,               -- dockerd | containerd | ...
  pid integer,                        -- for command lines
  source text not null,               -- daemon.json | cmdline
  name text not null,                 -- normalised key: hosts, tlsverify, tls, insecure-registries, userns-remap, icc, live-restore, experimental, ...
  value text                          -- as written (arrays: one row per element)
);

-- Daemon processes seen (host/daemon-cmdlines.tsv, docker/dockerd-cmdline.tsv).
create table daemon_processes (
  file_id integer not null references files(id),
  locator text not null,
  pid integer,
  comm text,
  args text
);

-- Listening TCP sockets (`ss -tlnp` / `netstat -tlnp`).
create table listening_sockets (
  file_id integer not null references files(id),
  locator text not null,
  proto text,
  local_address text,                 -- as printed, e.g. 0.0.0.0, [::], 127.0.0.1, *
  port integer,
  process text,                       -- program name when printed
  pid integer
);

-- dive --json: per-layer file tree summaries (image efficiency and added files).
create table dive_layers (
  file_id integer not null references files(id),
  locator text not null,
  layer_index integer,
  layer_id text,
  digest text,
  size_bytes integer,
  command text
);

-- `crictl inspectp`: pod sandboxes and the namespaces they ask for.
create table pod_sandboxes (
  file_id integer not null references files(id),
  locator text not null,
  sandbox_id text not null,
  pod_name text,
  pod_namespace text,
  pod_uid text,
  state text,
  pid integer,
  network_mode text,                  -- host | null (pod)
  pid_mode text,                      -- host | private (per container) | null (pod)
  ipc_mode text,
  field_locators text
);

-- One row per image id with the name findings use (first repo:tag seen, else the short id).
create view image_subjects as
  with firsts as (
    select image_id, min(file_id) as file_id from images group by image_id
  )
  select f.image_id,
         coalesce((select r.repository || ':' || r.tag from image_refs r where r.image_id = f.image_id and r.tag is not null order by r.file_id, r.locator limit 1),
                  substr(replace(f.image_id, 'sha256:', ''), 1, 12)) as subject_name,
         f.file_id,
         (select k.locator from images k where k.image_id = f.image_id and k.file_id = f.file_id limit 1) as locator,
         (select h.host from files x join inputs h on h.id = x.input_id where x.id = f.file_id) as subject_host
    from firsts f;

-- @after-load
create index image_history_image on image_history(image_id, step);
create index layer_files_layer on layer_files(layer_row);
create index layer_files_path on layer_files(path);
create index container_diffs_container on container_diffs(container_id);
