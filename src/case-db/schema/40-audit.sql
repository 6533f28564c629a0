-- Kubernetes API server audit log (audit.k8s.io/v1 and v1beta1 Events; AKS and GKE wrappers).
-- One row per request: the stages of a request (RequestReceived, ResponseStarted,
-- ResponseComplete, Panic) are joined on auditID + requestReceivedTimestamp while streaming and
-- exact duplicates are dropped. Audit logs run to gigabytes, so the main table is narrow:
-- repeated strings (users, verbs, resources, namespaces, names, user agents, IPs, groups,
-- authorization reasons) are integers into audit_dict, times are integer microseconds, and the
-- raw line is not copied (the bundle holds it; `line` locates it).

create table audit_dict (
  id integer primary key,
  value text not null
);

create table audit_events (
  id integer primary key,
  file_id integer not null references files(id),
  line integer not null,              -- line of the stage the row was taken from ("line N" locator)
  audit_id text,                      -- auditID as logged (clients can choose it: never trusted alone)
  ts integer,                         -- requestReceivedTimestamp, microseconds since the epoch (UTC)
  level_stage integer,                -- level * 4 + stage. level: 0 None, 1 Metadata, 2 Request, 3 RequestResponse;
                                      -- stage of that line: 0 RequestReceived, 1 ResponseStarted, 2 ResponseComplete, 3 Panic
  verb integer,                       -- audit_dict ids from here on (null = absent)
  username integer,
  groups integer,                     -- user.groups joined with ','
  impersonated integer,               -- impersonatedUser.username
  source_ips integer,                 -- sourceIPs joined with ','
  user_agent integer,
  namespace integer,                  -- objectRef.namespace
  resource integer,                   -- objectRef.resource
  subresource integer,
  api_group integer,
  name integer,                       -- objectRef.name; for a non-resource request (no objectRef) its path, query removed
  code integer,                       -- responseStatus.code
  authz integer                       -- annotations "authorization.k8s.io/decision" and "/reason" as 'decision' || char(10) || 'reason'
);

-- pods/exec, pods/attach, pods/portforward, nodes/proxy: what was run, decoded from requestURI.
create table audit_exec (
  event_id integer not null references audit_events(id),
  command text,                       -- JSON array of the repeated command= parameters (exec)
  container text,
  tty integer,
  stdin integer,
  ports text                          -- portforward ports=
);

-- requestObject of the writes that rules inspect (pods and pod templates, RBAC, token
-- requests), kept as JSON text; every other requestObject stays in the bundle only.
create table audit_objects (
  event_id integer not null references audit_events(id),
  object text not null
);

-- Requests some rule looks at (src/ingest/audit/notable.ts: bit flags), so that rules read this
-- small table and fetch their rows by primary key instead of scanning millions of requests.
create table audit_notable (
  event_id integer primary key,       -- audit_events.id
  flags integer not null
);

-- Requests per user and verb, counted while streaming (the activity summary reads this instead of
-- grouping millions of rows).
create table audit_activity (
  file_id integer not null references files(id),
  username integer,                   -- audit_dict ids
  verb integer,
  requests integer not null,
  first_ts integer,
  last_ts integer,
  first_event integer,                -- audit_events.id of the first and last request
  last_event integer
);

-- One row per audit file: what was read, so coverage rules can say what could not be seen.
create table audit_files (
  file_id integer primary key references files(id),
  format text,                        -- k8s (native), aks, gke, or a mix ('k8s+aks')
  lines integer not null,
  events integer not null,            -- audit events recognised
  requests integer not null,          -- rows written to audit_events
  duplicates integer not null,
  unparsable integer not null,
  level_metadata integer not null,    -- events per level
  level_request integer not null,
  level_request_response integer not null,
  pod_writes integer not null,        -- create/update/patch of pods, workloads or RBAC objects
  pod_writes_with_object integer not null,
  first_ts integer,
  last_ts integer
);

-- Rows with their strings decoded and the standard time and locator forms. For output, and for
-- rules that have already narrowed the rows down: filtering 2 million rows through this view
-- costs one dictionary lookup per column; filter audit_events on ids first.
create view audit_requests as
  select e.id, e.file_id, 'line ' || e.line as locator, e.line, e.audit_id, e.ts,
         strftime('%Y-%m-%dT%H:%M:%S', e.ts / 1000000, 'unixepoch') || '.' || printf('%06d', e.ts % 1000000) || 'Z' as time,
         e.level_stage / 4 as level, e.level_stage % 4 as stage,
         (select value from audit_dict where id = e.verb) as verb,
         (select value from audit_dict where id = e.username) as username,
         (select value from audit_dict where id = e.groups) as groups,
         (select value from audit_dict where id = e.impersonated) as impersonated,
         (select value from audit_dict where id = e.source_ips) as source_ips,
         (select value from audit_dict where id = e.user_agent) as user_agent,
         (select value from audit_dict where id = e.namespace) as namespace,
         (select value from audit_dict where id = e.resource) as resource,
         (select value from audit_dict where id = e.subresource) as subresource,
         (select value from audit_dict where id = e.api_group) as api_group,
         case when e.resource is not null then (select value from audit_dict where id = e.name) end as name,
         case when e.resource is null then (select value from audit_dict where id = e.name) end as uri,
         e.code,
         nullif((select substr(value, 1, instr(value, char(10)) - 1) from audit_dict where id = e.authz), '') as decision,
         nullif((select substr(value, instr(value, char(10)) + 1) from audit_dict where id = e.authz), '') as reason
    from audit_events e;

-- @after-load
create index audit_dict_value on audit_dict(value);
create index audit_exec_event on audit_exec(event_id);
create index audit_objects_event on audit_objects(event_id);
