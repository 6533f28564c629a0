-- id: evidence.unlisted-file
-- title: File in the bundle that the manifest does not list
-- severity: SUSPICIOUS
-- group: evidence
-- attack:
-- description: collect.sh hashes every file it writes into SHA256SUMS. A file that the manifest
--   does not cover was added after collection; its content is unverified and may be planted to
--   mislead the analysis.
-- remediation: Establish who added the file. Do not rely on findings that cite it without
--   corroboration from verified evidence.
select 'file' as subject_kind,
       f.path as subject_name,
       i.host as subject_host,
       'present in the bundle (' || coalesce(f.bytes, 0) || ' bytes, sha256 ' || coalesce(f.sha256, '?') || ') but not listed in SHA256SUMS' as reason,
       f.id as file_id
  from files f join inputs i on i.id = f.input_id
 where f.status = 'unlisted'
