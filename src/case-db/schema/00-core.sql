-- Core tables: inputs, files and their integrity, problems met while reading, collection log.
-- Every evidence table elsewhere carries (file_id, locator): the file it came from and a JSON
-- pointer or line number inside it.

create table inputs (
  id integer primary key,
  path text not null,                 -- as given on the command line
  kind text not null,                 -- bundle | directory | file
  sha256 text,                        -- of the input file itself (bundles, loose files)
  bytes integer,
  host text,                          -- from meta.env
  collected_at text,                  -- collection start (UTC) from meta.env
  integrity text not null default 'unverifiable' -- verified | failed | unverifiable
);

create table files (
  id integer primary key,
  input_id integer not null references inputs(id),
  path text not null,                 -- path inside the bundle or directory (attacker-controlled text)
  kind text not null,                 -- evidence kind recognised from content; 'unknown' otherwise
  bytes integer,                      -- null when the file is missing
  sha256 text,                        -- computed while streaming
  expected_sha256 text,               -- from SHA256SUMS
  status text not null,               -- verified | mismatch | missing | unlisted | unverifiable | rejected
  manifest_file_id integer            -- the SHA256SUMS that lists (or should list) this file
);

create table input_problems (
  id integer primary key,
  input_id integer not null references inputs(id),
  file_id integer references files(id),
  path text,                          -- entry path as it appeared in the archive
  problem text not null,              -- symlink | hardlink | special-file | absolute-path | parent-reference | control-character | empty-path | duplicate | oversize | truncated | corrupt | parse-error | line-too-long | invalid-utf8 | unreadable | ...
  detail text,
  locator text,
  count integer not null default 1
);

-- meta.env of a collect.sh bundle, one row per KEY=value.
create table bundle_meta (
  input_id integer not null references inputs(id),
  file_id integer not null references files(id),
  key text not null,
  value text,
  locator text not null
);

-- commands.tsv of a collect.sh bundle: one row per collection step.
create table collection_steps (
  id integer primary key,
  input_id integer not null references inputs(id),
  file_id integer not null references files(id),
  locator text not null,
  source text,
  command text,
  exit_status integer,
  status text,                        -- ok | failed | timeout | missing | skipped (as recorded, or derived from the exit status)
  started_at text,
  ended_at text,
  bytes integer,
  output_file text
);

-- Configuration, as tables so that SQL rules can join against it.
create table config_list (name text not null, value text not null);
create table config_value (name text primary key, value text);

create view incident_window as
  select (select value from config_value where name = 'since') as since,
         (select value from config_value where name = 'until') as until;
