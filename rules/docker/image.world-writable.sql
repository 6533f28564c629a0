-- id: image.world-writable
-- title: World-writable or setuid file added on top of the base image
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1525
-- description: A setuid/setgid binary added to an image (seen in a docker save archive or a dive
--   export) is a ready-made privilege escalation for
--   whoever runs code in the container; a world-writable file or directory (without the sticky
--   bit) lets any user replace what others execute or read. Both are common backdoors in
--   tampered images. Layer 0 (the base root filesystem) is not judged: distributions ship setuid
--   tools there.
-- remediation: Rebuild the image without the chmod; if it came from outside, treat the image as
--   untrusted and find where the file came from (its layer's build step is in the finding).
-- false-positives: Images that deliberately add a setuid helper (ping, sudo) in a later layer.
select 'image' as subject_kind,
       coalesce(s.subject_name, substr(replace(l.image_id, 'sha256:', ''), 1, 12), 'image analysed in ' || ef.path) as subject_name,
       l.image_id as subject_id,
       coalesce(s.subject_host, ei.host) as subject_host,
       f.path as key,
       f.type || ' ' || f.path || ' mode ' || printf('%04o', f.mode & 4095) || ' (' ||
         case when (f.mode & 2048) <> 0 and f.type = 'file' then 'setuid'
              when (f.mode & 1024) <> 0 and f.type = 'file' then 'setgid'
              else 'world-writable' end ||
         ') added in layer ' || l.layer_index || coalesce(' by: ' || nullif(l.created_by, ''), '') ||
         case when l.source = 'dive' then ' (seen by dive)' else '' end as reason,
       l.file_id, coalesce(f.locator, l.locator || ':' || f.path) as locator
  from layer_files f
  join image_layers l on l.id = f.layer_row
  join files ef on ef.id = l.file_id
  join inputs ei on ei.id = ef.input_id
  left join image_subjects s on s.image_id = l.image_id
 where f.op = 'add' and coalesce(l.layer_index, 1) > 0
   and ((f.type = 'file' and (f.mode & 3072) <> 0)
        or (f.type in ('file', 'directory') and (f.mode & 2) <> 0 and (f.mode & 512) = 0))
   -- a later layer that only carries the directory entry again (a file was added below it) does
   -- not introduce it: report the first layer with these bits
   and not exists (select 1 from layer_files e join image_layers el on el.id = e.layer_row
                    where e.op = 'add' and e.path = f.path and e.type = f.type and e.mode = f.mode
                      and el.file_id = l.file_id and el.image_id is l.image_id and el.layer_index < l.layer_index)
   -- deleted again by a later layer of the same image (same archive or dive export): not in the final image
   and not exists (select 1 from layer_files d join image_layers dl on dl.id = d.layer_row
                    where d.op = 'delete' and d.path = f.path and dl.file_id = l.file_id and dl.image_id is l.image_id
                      and dl.layer_index > l.layer_index)
