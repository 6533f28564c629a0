-- eBPF runtime evidence: Falco alerts, Tetragon events and Tracee events in ONE table (the
-- incident timeline reads it), the loaded Falco rules, and Tetragon TracingPolicies.
-- Millions of events are normal (Tetragon logs every exec): the table holds what rules and the
-- timeline need, never the raw line (the bundle holds it; `locator` is `line N`).

create table runtime_events (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- 'line N' of the event in its file
  time text,                          -- event time, ISO 8601 UTC with microseconds (YYYY-MM-DDTHH:MM:SS.ffffffZ)
  tool text not null,                 -- falco | tetragon | tracee
  event_type text,                    -- Falco rule name | Tetragon event type (process_exec, process_kprobe, ...) | Tracee signature name or event name
  priority text,                      -- the tool's own level: Falco priority; Tracee signature severity (0-4); Tetragon: null
  severity text not null,             -- INFO | SUSPICIOUS | MALICIOUS, as mapped at ingest (src/ingest/runtime/classify.ts)
  indicator text,                     -- why the severity: falco-priority | signature | shell | network-tool | escape-tool | sensitive-file | sensitive-syscall | enforcement
  hook text,                          -- what fired underneath: Falco evt.type, Tetragon kprobe function / tracepoint, Tracee event name
  process text,                       -- executable path (or name when the path is unknown)
  pid integer,                        -- host pid when the tool gives it
  user text,                          -- user name or uid
  parent text,                        -- parent executable (or name)
  arguments text,                     -- command line / arguments as the tool reports them
  container_id text,                  -- normalised: 64 hex when the tool gives it, else 12 hex; no runtime:// prefix; null = host
  container_name text,
  image text,
  pod text,
  namespace text,
  node text,                          -- host / node name the tool reports
  attack text,                        -- JSON array of ATT&CK ids: techniques (T1059) and tactics (TA0002) from tags/signatures/indicators
  signature_id text,                  -- Tracee TRC-* id
  policy text,                        -- Tetragon policy_name; Tracee matched policies (comma list)
  action text,                        -- Tetragon kprobe action (KPROBE_ACTION_SIGKILL, ...)
  file_path text,                     -- file the event is about (fd.name, file_arg, pathname)
  remote text,                        -- remote endpoint of a network event (addr:port)
  output text                         -- the tool's message (Falco output, Tracee description) or a short summary
);

-- One row per ingested runtime file: what was read and over which span of time the tool shows
-- activity (events, and its own log lines such as journald service messages).
create table runtime_sources (
  file_id integer primary key references files(id),
  tool text not null,
  kind text not null,                 -- evidence kind
  formats text,                       -- how lines were wrapped: json, journald, syslog, kubectl-timestamps (comma list)
  schema text,                        -- tracee: legacy | v1beta1 | both
  lines integer not null,
  events integer not null,
  tool_log_lines integer not null,    -- the tool's own (non-event) lines: startup, errors
  unparsable integer not null,        -- lines that looked like events but were not valid
  first_event text,
  last_event text,
  first_activity text,                -- earliest time of any timestamped line (events or tool log)
  last_activity text
);

-- Falco's loaded rules: YAML rules files (/etc/falco/*.yaml, rules.d/), `falco -L` text, or
-- `falco -L` with json_output (rules, macros and lists with their conditions).
create table falco_rules (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- 'line N' (YAML, -L text) or JSON pointer (-L JSON)
  format text not null,               -- yaml | list-text | list-json
  item text not null,                 -- rule | macro | list
  name text not null,
  seq integer not null,               -- order within the file (later entries override earlier ones)
  enabled integer,                    -- 1 / 0 as stated; null = not stated (Falco's default: enabled)
  priority text,
  source text,                        -- syscall (default) | k8s_audit | ...
  tags text,                          -- JSON array
  condition text,                     -- rule/macro condition; list items as a JSON array
  description text,
  is_append integer not null default 0, -- `append: true` or `override:` (modifies an earlier definition)
  override text                       -- JSON of `override:` when present
);

-- Tetragon TracingPolicy / TracingPolicyNamespaced objects (kubectl JSON or YAML).
create table tetragon_policies (
  id integer primary key,
  file_id integer not null references files(id),
  locator text not null,              -- JSON pointer of the object
  kind text not null,                 -- TracingPolicy | TracingPolicyNamespaced
  name text not null,
  namespace text,
  created text,
  hooks text not null,                -- JSON array: kprobe:<call>, tracepoint:<subsystem>/<event>, uprobe:<path>:<symbol>, lsm:<hook>
  actions text not null,              -- JSON array of matchActions actions (Sigkill, Override, Post, ...)
  selectors text                      -- JSON: podSelector / containerSelector when present
);

-- Runtime events with the standard finding subject columns (pod > container > host), names and
-- pods filled from the container inventory when the tool did not report them. The container is
-- found by the full id or by the 12-hex short id Falco reports; min(id), as several tools (or
-- inputs) may have inspected it. Filter on runtime_events columns (tool, severity) first: the
-- container lookup is per row.
create view runtime_event_subjects as
  select e.*, c.id as container_row,
         case when coalesce(e.pod, c.pod_name) is not null then 'pod'
              when e.container_id is not null then 'container' else 'host' end as subject_kind,
         coalesce(e.pod, c.pod_name, e.container_name, c.name, substr(e.container_id, 1, 12),
                  e.node, i.host, 'unknown host') as subject_name,
         case when coalesce(e.pod, c.pod_name) is not null then coalesce(e.namespace, c.pod_namespace) end as subject_namespace,
         coalesce(c.container_id, e.container_id) as subject_id,
         case when coalesce(e.pod, c.pod_name) is not null then coalesce(e.container_name, c.name) end as subject_container,
         coalesce(e.image, c.image) as subject_image,
         coalesce(e.node, i.host) as subject_host
    from runtime_events e
    join files f on f.id = e.file_id
    join inputs i on i.id = f.input_id
    left join containers c on c.id = coalesce(
           (select min(x.id) from containers x where x.container_id = e.container_id),
           (select min(x.id) from containers x where length(e.container_id) = 12 and substr(x.container_id, 1, 12) = e.container_id));

-- Runtime events tied to a container of the inventory (docker / crictl / ctr), 12- and 64-hex
-- ids alike: the container lookup of runtime_event_subjects, for joins and ad hoc queries.
create view runtime_event_containers as
  select s.id as event_id, s.container_id, c.id as container_row, c.container_id as full_container_id,
         c.name as container_name, c.pod_name, c.pod_namespace, c.image, c.file_id, c.locator
    from runtime_event_subjects s join containers c on c.id = s.container_row;

-- Runtime events that are the kubelet running one of the pod's exec probes or lifecycle hooks in
-- that container (k8s_container_execs), matched on pod, container and command line as each tool
-- prints it: Tetragon the binary's path then the arguments, Tracee the whole argv; quotes dropped.
-- CROSS JOIN keeps the events as the outer loop (one index lookup each): with the small pod
-- tables outside, SQLite would scan millions of events once per pod.
create view runtime_kubelet_execs as
  select e.id as event_id, x.purpose, x.hostile_patterns, c.file_id, x.locator
    from runtime_events e
   cross join k8s_pod_specs p
   cross join k8s_containers c
   cross join k8s_container_execs x
   where e.tool in ('tetragon', 'tracee') and e.pod is not null
     and p.namespace = e.namespace and p.name = e.pod and p.source = 'pod'
     and c.spec_id = p.id and c.name = e.container_name
     and x.container_id = c.id
     and ((e.tool = 'tetragon'
           and substr(e.process, length(rtrim(e.process, replace(e.process, '/', ''))) + 1) = x.program
           and replace(replace(coalesce(e.arguments, ''), '"', ''), '''', '') = x.arguments)
          or (e.tool = 'tracee' and replace(replace(coalesce(e.arguments, ''), '"', ''), '''', '') = x.command_line));

-- The incident window in the runtime_events.time format, so that string comparison is exact.
create view runtime_window as
  select case when since is not null then strftime('%Y-%m-%dT%H:%M:%f', since) || '000Z' end as since,
         case when until is not null then strftime('%Y-%m-%dT%H:%M:%f', until) || '000Z' end as until
    from incident_window;

-- @after-load
create index runtime_events_tool_severity on runtime_events(tool, severity);
create index runtime_events_container on runtime_events(container_id);
create index runtime_containers_short_id on containers(substr(container_id, 1, 12));
