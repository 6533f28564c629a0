-- id: evidence.collection-error
-- title: Collection step failed, timed out or was interrupted
-- severity: INFO
-- group: evidence
-- attack:
-- description: collect.sh recorded a step that did not complete. Whatever that command would
--   have shown is not in the bundle, so the absence of a finding for that source proves nothing.
-- remediation: Read the step's stderr file in the bundle, fix the cause (permissions, time limit
--   with --timeout, missing credentials) and collect that source again.
select 'collection-step' as subject_kind,
       coalesce(s.command, '?') as subject_name,
       i.host as subject_host,
       s.locator as key,
       coalesce(s.source, '?') || ' step ' || s.status ||
         case when s.exit_status is not null then ' (exit ' || s.exit_status || ')' else '' end ||
         case when s.output_file is not null then '; output ' || s.output_file else '' end as reason,
       s.file_id as file_id,
       s.locator as locator,
       s.started_at as first_seen,
       s.ended_at as last_seen
  from collection_steps s join inputs i on i.id = s.input_id
 where s.status in ('failed', 'timeout', 'denied', 'interrupted')
union all
select 'bundle' as subject_kind,
       i.path as subject_name,
       i.host as subject_host,
       'partial' as key,
       'collection was interrupted: meta.env says PARTIAL=yes' ||
         coalesce(' (' || nullif((select value from bundle_meta r where r.input_id = m.input_id and r.key = 'PARTIAL_REASON'), '') || ')', '') as reason,
       m.file_id as file_id,
       m.locator as locator,
       null, null
  from bundle_meta m join inputs i on i.id = m.input_id
 where m.key = 'PARTIAL' and m.value = 'yes'
