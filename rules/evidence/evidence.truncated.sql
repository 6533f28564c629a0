-- id: evidence.truncated
-- title: Bundle or evidence file ends early or is corrupt
-- severity: SUSPICIOUS
-- group: evidence
-- attack:
-- description: The archive (or a compressed file inside it) does not decompress to its end, or
--   an entry is shorter than its header declares. Everything before the break was analysed;
--   whatever followed it is unknown, and a cut can hide the most recent evidence.
-- remediation: Re-transfer the bundle and compare its sha256 with the .sha256 file written
--   beside it by collect.sh. If the original is also truncated, re-collect.
select 'file' as subject_kind,
       coalesce(p.path, i.path) as subject_name,
       i.host as subject_host,
       null as key, -- one finding per file: the ingester and the reader may both report the cut
       p.detail as reason,
       p.file_id as file_id,
       p.locator as locator
  from input_problems p join inputs i on i.id = p.input_id
 where p.problem in ('truncated', 'corrupt')
