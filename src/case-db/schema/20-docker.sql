-- Docker / containerd beyond the container model: images, their history and layers, container
-- filesystem changes, volumes, daemon configuration and listening sockets.

-- One row per image, from `docker image inspect` / `crictl inspecti` (source inspect), a listing
-- (`docker images`, `crictl images`: source listing) or a `docker save` archive's config.
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
  registry text,                      -- registry host (docker.io when implicit)
  reference text                      -- the reference exactly as the source wrote it (cf-bundle/clean:1,
                                      -- docker.io/library/nginx:1.25, repo@sha256:...): what findings name
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

-- Layers of an image, in order (0 = base), with totals: from a `docker save` archive (source save)
-- or from `dive --json` (source dive; the same layers seen through dive's file trees).
create table image_layers (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- save: path of the layer tar inside the archive; dive: /layer/N
  image_id text,                      -- null when neither the archive nor the file's path names it
  layer_index integer,                -- null when the manifest did not list it
  created_by text,                    -- the build step (config history of non-empty layers; dive's command)
  bytes integer,                      -- save: size of the layer tar; dive: sum of the layer's file sizes
  files_added integer not null default 0,
  files_deleted integer not null default 0,
  source text not null default 'save' -- save | dive
);

-- Every entry of every layer: what a layer added or changed, and whiteouts (deletions).
create table layer_files (
  layer_row integer not null references image_layers(id),
  path text not null,                 -- absolute path in the image (/usr/bin/nc); for whiteouts the deleted path
  op text not null,                   -- add | delete | opaque (directory contents replaced)
  type text,                          -- file | directory | symlink | link | other
  mode integer,                       -- permission bits incl. setuid/setgid/sticky (04000/02000/01000)
  size integer,
  link_target text,
  locator text                        -- dive: JSON pointer of the entry (/layer/N/fileList/M); save: null
                                      -- (the layer's locator + ':' + path names it)
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

-- `dive --json`: the image summary (its layers and files are in image_layers / layer_files).
create table dive_images (
  file_id integer not null references files(id),
  locator text not null,              -- /image
  image_id text,                      -- from the file's path (docker/images/<hex>/dive.json), else null
  size_bytes integer,
  inefficient_bytes integer,
  efficiency_score real,
  inefficient_files text              -- JSON array of {file, count, size_bytes}: duplicated or removed across layers
);

-- `crictl ps -a -o json`: every container the CRI runtime lists (also those not inspected).
create table cri_containers (
  file_id integer not null references files(id),
  locator text not null,
  container_id text not null,
  pod_sandbox_id text,
  name text,
  attempt integer,
  image text,                         -- image.image: the image id the kubelet asked for (or a reference)
  image_ref text,                     -- imageRef
  state text,                         -- CONTAINER_RUNNING | CONTAINER_EXITED | ...
  created_at text,                    -- ISO 8601 (crictl prints nanoseconds since the epoch)
  pod_name text,
  pod_namespace text,
  labels text,                        -- JSON object
  annotations text                    -- JSON object
);

-- `crictl pods -o json`: every pod sandbox the CRI runtime lists.
create table cri_pods (
  file_id integer not null references files(id),
  locator text not null,
  sandbox_id text not null,
  pod_name text,
  pod_namespace text,
  pod_uid text,
  attempt integer,
  state text,                         -- SANDBOX_READY | SANDBOX_NOTREADY
  created_at text,
  runtime_handler text,
  labels text,
  annotations text
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
  image text,                         -- the sandbox (pause) image (info.image)
  field_locators text
);

-- The one subject of every image finding, one row per image id (what image rules name): the
-- reference as the user wrote it where the image was used (a container's configured image, e.g.
-- cf-bundle/clean:1), else the first tag as a source wrote it, else a digest reference, else the
-- short id; subject_id is the image id. (file_id, locator) point at the image's first record.
-- Images known only by reference (ctr, no listing) have no row: rules name them by that reference.
create view image_subjects as
  with ids as (
    select image_id from images
    union select image_id from image_refs where image_id is not null
    union select image_id from containers where image_id glob 'sha256:*'
  ),
  firsts as (
    select i.image_id,
           coalesce((select min(k.file_id) from images k where k.image_id = i.image_id),
                    (select min(r.file_id) from image_refs r where r.image_id = i.image_id),
                    (select min(c.file_id) from containers c where c.image_id = i.image_id)) as file_id
      from ids i
  )
  select f.image_id,
         coalesce((select c.image from container_subjects c
                    where c.image_id = f.image_id and c.image is not null and c.image <> '' and c.image not glob 'sha256:*'
                    order by c.id limit 1),
                  (select r.reference from image_refs r where r.image_id = f.image_id and r.tag is not null order by r.file_id, r.locator limit 1),
                  (select r.reference from image_refs r where r.image_id = f.image_id order by r.file_id, r.locator limit 1),
                  substr(replace(f.image_id, 'sha256:', ''), 1, 12)) as subject_name,
         f.image_id as subject_id,
         f.file_id,
         coalesce((select k.locator from images k where k.image_id = f.image_id and k.file_id = f.file_id order by k.id limit 1),
                  (select r.locator from image_refs r where r.image_id = f.image_id and r.file_id = f.file_id order by r.locator limit 1),
                  (select coalesce(json_extract(c.field_locators, '$.image'), c.locator) from containers c
                    where c.image_id = f.image_id and c.file_id = f.file_id order by c.id limit 1)) as locator,
         (select h.host from files x join inputs h on h.id = x.input_id where x.id = f.file_id) as subject_host
    from firsts f;

-- The build steps of each image from the best source the evidence holds: its history (docker
-- history, or the config history of crictl inspecti), else the layers of a docker save archive,
-- else dive's layers. Layers of an image nobody named (a loose dive export) keep image_id null:
-- group those by file_id. What history-reading rules start from.
create view image_steps as
  select h.image_id, h.step, h.created_by, h.created_at, h.size_bytes, h.empty_layer, h.file_id, h.locator, 'history' as source
    from image_history h
  union all
  select l.image_id, l.layer_index, l.created_by, null, l.bytes, 0, l.file_id, l.locator, l.source
    from image_layers l
   where l.layer_index is not null
     and (l.image_id is null or not exists (select 1 from image_history h where h.image_id = l.image_id))
     and (l.source = 'save' or l.image_id is null
          or not exists (select 1 from image_layers x where x.image_id = l.image_id and x.source = 'save'));

-- @after-load
create index image_history_image on image_history(image_id, step);
create index image_refs_image on image_refs(image_id);
create index layer_files_layer on layer_files(layer_row);
create index layer_files_path on layer_files(path);
create index container_diffs_container on container_diffs(container_id);
