-- id: evidence.hash-mismatch
-- title: Evidence file altered after collection
-- severity: MALICIOUS
-- group: evidence
-- attack: T1070
-- red-flag: true
-- description: The file's sha256, computed while the bundle was streamed, differs from the hash
--   collect.sh recorded right after writing it. Someone or something changed the evidence
--   between collection and analysis; findings drawn from this file cannot be trusted, and the
--   tampering itself may be anti-forensics on a compromised host.
-- remediation: Treat the bundle's chain of custody as broken. Re-collect from the host if it is
--   still available, compare with any other copy of the bundle, and analyse this file only as a
--   lead, never as proof.
select 'file' as subject_kind,
       f.path as subject_name,
       i.host as subject_host,
       'sha256 ' || f.sha256 || ' but the manifest says ' || f.expected_sha256 as reason,
       json_array(json_object('file_id', f.id), json_object('file_id', f.manifest_file_id)) as evidence
  from files f join inputs i on i.id = f.input_id
 where f.status = 'mismatch'
