-- Control plane: how etcd and kube-apiserver (and the other components seen beside them) were
-- started, from static pod manifests and /proc cmdlines; their flags, normalised; the encryption
-- at rest configuration (providers only, never keys); the public PKI with verified issuers; and
-- the etcd values table that the snapshot ingester fills.

-- One row per command line seen: a container of a static pod manifest, or a process.
create table component_instances (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the container (manifest) or `line N` (cmdline TSV)
  component text not null,            -- etcd | kube-apiserver | kubelet | kube-controller-manager | kube-scheduler | dockerd | ...
  source text not null,               -- manifest | cmdline
  pid integer,                        -- cmdline sources
  pod_name text,                      -- manifest sources: metadata.name / namespace, container name, image
  pod_namespace text,
  container_name text,
  image text,
  version text,                       -- from the image tag (v1.28.3, 3.5.9-0) when it has one
  argv text not null,                 -- JSON array of the command line as seen (command + args)
  config_file text                    -- --config / --config-file: settings in that file are not visible here
);

-- Every flag occurrence, in command-line order. `--flag=value`, `--flag value`, `-flag value` and a
-- bare boolean `--flag` all become (name, value); etcd's ETCD_* environment variables are flags
-- of source `env` (a command-line flag overrides them). Rules read `effective` rows (or the
-- component_settings view, which adds documented defaults).
create table component_flags (
  instance_id integer not null references component_instances(id),
  component text not null,
  source text not null,               -- manifest | cmdline | env
  name text not null,                 -- without leading dashes
  value text not null,                -- as written; 'true' for a bare boolean flag
  position integer not null,          -- index in argv (env: negative, before every argument)
  effective integer not null,         -- 1 on the occurrence in force (the last one)
  effective_value text,               -- on that row: the value in force (repeated list flags accumulate)
  file_id integer not null references files(id),
  locator text not null               -- JSON pointer of the argument, or `line N`
);

-- Defaults that matter for security, so that an absent flag can be judged.
create table component_flag_defaults (
  component text not null,
  name text not null,
  value text not null,
  note text not null
);
insert into component_flag_defaults (component, name, value, note) values
  ('kube-apiserver', 'anonymous-auth', 'true', 'default: requests without credentials are served as system:anonymous'),
  ('kube-apiserver', 'profiling', 'true', 'default: /debug/pprof is served'),
  ('kube-apiserver', 'authorization-mode', 'AlwaysAllow', 'default when neither --authorization-mode nor --authorization-config is given'),
  ('kube-apiserver', 'service-account-lookup', 'true', 'default: revoked service-account tokens are rejected'),
  ('etcd', 'listen-client-urls', 'http://localhost:2379', 'etcd default'),
  ('etcd', 'listen-peer-urls', 'http://localhost:2380', 'etcd default'),
  ('etcd', 'client-cert-auth', 'false', 'etcd default'),
  ('etcd', 'peer-client-cert-auth', 'false', 'etcd default'),
  ('etcd', 'auto-tls', 'false', 'etcd default'),
  ('etcd', 'peer-auto-tls', 'false', 'etcd default');

-- Instances with the finding subject columns and the host of their input.
create view component_subjects as
  select c.*, 'component' as subject_kind, c.component as subject_name, i.host as subject_host, f.input_id
    from component_instances c join files f on f.id = c.file_id join inputs i on i.id = f.input_id;

-- The setting in force for each instance: the effective flag (source manifest | cmdline | env),
-- else the documented default (is_default = 1, source 'default', evidence = the instance itself).
create view component_settings as
  select f.instance_id, f.component, f.name, f.effective_value as value, 0 as is_default, f.source, f.file_id, f.locator
    from component_flags f where f.effective = 1
  union all
  select c.id, c.component, d.name, d.value, 1, 'default', c.file_id, c.locator
    from component_instances c join component_flag_defaults d on d.component = c.component
   where not exists (select 1 from component_flags f where f.instance_id = c.id and f.name = d.name);

-- kube-apiserver and etcd processes known only from the host tables of other domains
-- (host/daemon-cmdlines.tsv, host/processes.tsv): e.g. a bundle collected with
-- `--skip control-plane`. A process already read from control-plane/<daemon>-cmdline.tsv of the
-- same input is left out, and daemon-cmdlines is preferred over processes.tsv.
create view component_processes as
  select p.file_id, p.locator, p.pid, p.comm as component, p.args, f.input_id, i.host, 'daemon-cmdlines' as origin
    from daemon_processes p join files f on f.id = p.file_id join inputs i on i.id = f.input_id
   where p.comm in ('kube-apiserver', 'etcd') and coalesce(p.args, '') not in ('', '-')
     and not exists (select 1 from component_instances c join files cf on cf.id = c.file_id
                      where c.source = 'cmdline' and c.pid = p.pid and cf.input_id = f.input_id)
  union all
  select h.file_id, h.locator, h.pid, h.comm, h.args, f.input_id, i.host, 'processes'
    from host_processes h join files f on f.id = h.file_id join inputs i on i.id = f.input_id
   where h.comm in ('kube-apiserver', 'etcd') and coalesce(h.args, '') not in ('', '-')
     and not exists (select 1 from component_instances c join files cf on cf.id = c.file_id
                      where c.source = 'cmdline' and c.pid = h.pid and cf.input_id = f.input_id)
     and not exists (select 1 from daemon_processes d join files df on df.id = d.file_id
                      where d.pid = h.pid and d.comm = h.comm and df.input_id = f.input_id);

-- control-plane/encryption-config.tsv: does the --encryption-provider-config file exist
-- (collect.sh never reads it: it holds the keys).
create table encryption_config_files (
  file_id integer not null references files(id),
  locator text not null,
  path text,                          -- null when kube-apiserver has no --encryption-provider-config
  status text not null,               -- yes | no | no-flag
  size integer,
  mtime text                          -- ISO 8601
);

-- An EncryptionConfiguration document (given by hand): providers in order per resource set.
-- Key material is never stored, only provider types and key names.
create table encryption_providers (
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the provider
  resource_set integer not null,      -- index in .resources
  resources text not null,            -- JSON array (secrets, configmaps, *.*, ...)
  position integer not null,          -- 0 = the provider that encrypts new writes
  provider text not null,             -- identity | aescbc | aesgcm | secretbox | kms
  key_names text,                     -- JSON array of key names (kms: the plugin name)
  key_material integer not null default 0 -- the document holds this provider's secret keys (never copied here)
);

-- Public certificates (PEM), one row per certificate block.
create table certificates (
  id integer primary key,
  input_id integer not null references inputs(id),
  file_id integer not null references files(id),
  locator text not null,              -- `line N` of the BEGIN CERTIFICATE line
  path text not null,                 -- bundle path of the file
  pki_path text,                      -- path below a Kubernetes pki directory (etcd/server.crt), if under one
  subject text,
  issuer text,
  common_name text,
  organization text,
  dns_names text,                     -- JSON array
  ip_addresses text,                  -- JSON array
  serial text,
  not_before text,                    -- ISO 8601
  not_after text,
  sha256 text not null,               -- fingerprint: lower-case hex of the DER
  is_ca integer not null,
  self_signed integer not null,       -- issued by itself (signature verified)
  key_usage text,                     -- JSON array (digitalSignature, keyCertSign, ...)
  ext_key_usage text,                 -- JSON array (serverAuth, clientAuth, or the OID)
  public_key text,                    -- rsa 2048 | ec prime256v1 | ed25519 ...
  pem text not null                   -- the certificate itself (public)
);

-- A verified signature between two certificates of the same input (issuer's key checks the
-- subject's signature and the names chain). Filled as certificates arrive, in both directions.
create table certificate_issuers (
  subject_row integer not null references certificates(id),
  issuer_row integer not null references certificates(id)
);

-- A PEM private key block met in the evidence: the key itself is never stored.
create table pem_private_keys (
  file_id integer not null references files(id),
  locator text not null,              -- `line N` of the BEGIN line
  pem_type text not null              -- PRIVATE KEY | RSA PRIVATE KEY | EC PRIVATE KEY | ENCRYPTED PRIVATE KEY ...
);

-- @after-load
create index component_flags_instance on component_flags(instance_id, name);
create index certificate_issuers_subject on certificate_issuers(subject_row);
