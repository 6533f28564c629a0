-- id: evidence.parse-error
-- title: Evidence that could not be parsed
-- severity: INFO
-- group: evidence
-- attack:
-- description: Part of an evidence file was malformed (invalid JSON, a record too long to be
--   real, invalid UTF-8, an unexpected shape) and was skipped. The rest of the file and of the
--   bundle was analysed, but detections that needed the skipped records may be missing.
-- remediation: Look at the cited lines by hand. Garbage in tool output can be a sign of
--   tampering or of a tool that crashed mid-write.
select 'file' as subject_kind,
       coalesce(p.path, i.path) as subject_name,
       i.host as subject_host,
       p.problem as key,
       p.problem || case when p.count > 1 then ' (' || p.count || ' records)' else '' end || ': ' || p.detail as reason,
       p.file_id as file_id,
       p.locator as locator
  from input_problems p join inputs i on i.id = p.input_id
 where p.problem in ('parse-error', 'line-too-long', 'invalid-utf8', 'schema', 'too-large')
