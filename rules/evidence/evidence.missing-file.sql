-- id: evidence.missing-file
-- title: File listed in the manifest is missing from the bundle
-- severity: SUSPICIOUS
-- group: evidence
-- attack: T1070
-- description: SHA256SUMS lists a file that the bundle does not contain. Evidence was removed
--   after collection, or the bundle was cut short; whatever that file held is unknown.
-- remediation: Check whether the bundle is complete (size, transfer logs). Re-collect the
--   missing source if the host is still available.
select 'file' as subject_kind,
       f.path as subject_name,
       i.host as subject_host,
       'listed in SHA256SUMS with sha256 ' || f.expected_sha256 || ' but absent from the bundle' as reason,
       f.manifest_file_id as file_id
  from files f join inputs i on i.id = f.input_id
 where f.status = 'missing'
