-- id: volume.sensitive
-- title: Named volume at a sensitive path or shared between unrelated containers
-- severity: INFO
-- group: docker
-- attack:
-- description: A named volume outlives its containers. Mounted over a sensitive path (/etc,
--   /root, a binary directory) it carries whatever was written there into every container that
--   mounts it next; shared between containers of different images it is a path for one
--   compromised container to tamper with another's data or code.
-- remediation: Mount volumes only where data belongs, read-only where possible, and do not share
--   one volume between unrelated workloads.
with vm as (
  select s.*, m.volume_name, m.destination, m.read_only, m.locator as mount_locator
    from container_subjects s join container_mounts m on m.container_row = s.id
   where m.type = 'volume' and m.volume_name is not null
)
select 'volume' as subject_kind, v.volume_name as subject_name, v.subject_host,
       'at:' || v.destination as key,
       'mounted at ' || v.destination || case when v.read_only = 1 then ' (read-only)' else ' (read-write)' end ||
         ' in ' || v.subject_kind || ' ' || v.subject_name as reason,
       v.file_id, v.mount_locator as locator
  from vm v
 where v.destination in ('/', '/etc', '/root', '/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/lib', '/lib64', '/boot', '/var/run', '/run', '/home')
    or v.destination glob '/etc/*' or v.destination glob '/root/*' or v.destination glob '/usr/bin/*' or v.destination glob '/usr/local/bin/*'
    or v.destination glob '/home/*/.ssh*'
union all
select 'volume', v.volume_name, v.subject_host, 'shared',
       'shared by ' || v.subject_kind || ' ' || v.subject_name || ' (image ' || coalesce(v.image, '?') || ', at ' || v.destination || ')',
       v.file_id, v.mount_locator
  from vm v
 where exists (select 1 from vm o where o.volume_name = v.volume_name and o.id <> v.id and coalesce(o.image_id, o.image) <> coalesce(v.image_id, v.image))
