-- id: audit.metadata-only
-- title: Audit log without request bodies: pod-spec and RBAC-content rules cannot fire
-- severity: INFO
-- group: audit
-- attack:
-- description: The audit policy logged writes to pods, workloads or RBAC objects at Metadata
--   level, so the log says who created or changed them but not what they contained. Rules that
--   read request bodies (audit.privileged-workload-created, the content checks of
--   audit.rbac-escalation, and the audit evidence of correlate.exec-into-exposed-pod) could not
--   see those writes: no finding from them does not mean none happened.
-- remediation: Log pods, pod controllers and rbac.authorization.k8s.io at Request (or
--   RequestResponse) level in the audit policy (--audit-policy-file), and read the current specs
--   of the workloads created during the incident from the cluster or an etcd snapshot.
select 'file' as subject_kind, f.path as subject_name,
       case when a.pod_writes > a.pod_writes_with_object
            then (a.pod_writes - a.pod_writes_with_object) || ' of ' || a.pod_writes ||
                 ' write(s) to pods, workloads or RBAC objects were logged without their request body'
            else 'every request is logged at level Metadata: a write to a pod, workload or RBAC object would be logged without its body'
       end || ' (requests by level: Metadata ' || a.level_metadata || ', Request ' || a.level_request ||
       ', RequestResponse ' || a.level_request_response || ')' as reason,
       a.file_id, 'line 1' as locator,
       strftime('%Y-%m-%dT%H:%M:%SZ', a.first_ts / 1000000, 'unixepoch') as first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', a.last_ts / 1000000, 'unixepoch') as last_seen
  from audit_files a join files f on f.id = a.file_id
 where a.pod_writes > a.pod_writes_with_object
    or (a.requests > 0 and a.level_request + a.level_request_response = 0)
