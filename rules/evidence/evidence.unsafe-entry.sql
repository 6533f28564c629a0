-- id: evidence.unsafe-entry
-- title: Bundle entry refused (link, device, unsafe path, duplicate or oversize)
-- severity: SUSPICIOUS
-- group: evidence
-- attack: T1070
-- description: collect.sh writes only regular files with plain relative names. A symbolic or hard
--   link, a device node, an absolute or `..` path, a second entry with the same name or an entry
--   over the size limit was not produced by it: someone crafted or altered the bundle, possibly
--   to attack the analyst's workstation or to hide a file behind another. The entry was not
--   followed or analysed.
-- remediation: Inspect the archive listing (tar -tvzf) on an isolated machine. Treat the bundle's
--   provenance as doubtful and re-collect if possible.
select 'file' as subject_kind,
       coalesce(p.path, '?') as subject_name,
       i.host as subject_host,
       p.id as key,
       p.problem || ': ' || p.detail as reason,
       p.file_id as file_id,
       'archive entry' as locator
  from input_problems p join inputs i on i.id = p.input_id
 where p.problem in ('symlink', 'hardlink', 'special-file', 'absolute-path', 'parent-reference',
                     'control-character', 'empty-path', 'duplicate', 'oversize')
