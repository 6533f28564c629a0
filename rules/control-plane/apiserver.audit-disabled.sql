-- id: apiserver.audit-disabled
-- title: kube-apiserver writes no audit log
-- severity: INFO
-- group: control-plane
-- attack:
-- description: Without --audit-log-path (or an audit webhook) kube-apiserver records nothing of who
--   did what through the API; with a backend but no --audit-policy-file no event is logged either.
--   Exec into pods, Secret reads, RBAC changes and anonymous requests then leave no trace, and
--   every audit.* rule is blind for this cluster: absence of audit findings means "not recorded".
-- remediation: Give kube-apiserver an audit policy (--audit-policy-file; Metadata level for Secrets,
--   RequestResponse for RBAC and pods/exec) and a backend (--audit-log-path with rotation, or
--   --audit-webhook-config-file) shipping off the node; collect it with collect.sh --audit-log.
-- false-positives: Managed control planes (EKS, GKE, AKS) log audit events to the provider's log
--   service instead; their flags are not visible on the nodes.
select c.subject_kind, c.subject_name, c.subject_host,
       'audit-log-path' as key,
       case when c.source = 'manifest' then 'static pod manifest ' || f.path else 'running process' || coalesce(' (pid ' || c.pid || ')', '') end ||
         ': neither --audit-log-path nor --audit-webhook-config-file is set: no audit event is written' as reason,
       c.file_id, c.locator
  from component_subjects c join files f on f.id = c.file_id
 where c.component = 'kube-apiserver'
   and not exists (select 1 from component_flags x where x.instance_id = c.id and x.effective = 1
                    and x.name in ('audit-log-path', 'audit-webhook-config-file') and x.value <> '')
union all
select c.subject_kind, c.subject_name, c.subject_host,
       'audit-policy-file',
       case when c.source = 'manifest' then 'static pod manifest ' || f.path else 'running process' || coalesce(' (pid ' || c.pid || ')', '') end ||
         ': --' || b.name || '=' || b.value || ' but no --audit-policy-file: without a policy no event is logged',
       b.file_id, b.locator
  from component_subjects c join files f on f.id = c.file_id
  join component_flags b on b.instance_id = c.id and b.effective = 1 and b.name in ('audit-log-path', 'audit-webhook-config-file') and b.value <> ''
 where c.component = 'kube-apiserver'
   and not exists (select 1 from component_flags p where p.instance_id = c.id and p.effective = 1 and p.name = 'audit-policy-file' and p.value <> '')
