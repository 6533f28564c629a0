-- id: container.filesystem-change-sensitive
-- title: Container wrote to a sensitive path of its filesystem
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1543, T1053
-- description: `docker diff` lists what a container added (A) or changed (C) in its writable
--   layer. Services rarely change /etc, home directories, SSH keys, cron tables or the system
--   binary directories at run time; an attacker who got a shell does, to persist (cron, SSH keys,
--   a replaced binary) or to stage tools (hidden or script files in /tmp and /dev/shm).
-- remediation: Inspect the files in the container's upper directory (GraphDriver.Data.UpperDir)
--   before the container is removed, compare with the image, and rebuild from a known image.
-- false-positives: Entry-point scripts that template configuration into /etc at start-up.
with leaves as (
  select d.* from container_diffs d
   where d.change in ('A', 'C')
     -- a changed directory whose children are listed is reported through them
     and not exists (select 1 from container_diffs c where c.file_id = d.file_id and c.path glob d.path || '/*')
),
hits as (
  select l.*,
         case
           when l.path glob '/etc/cron*' or l.path glob '/var/spool/cron/*' or l.path glob '/etc/anacrontab' then 'cron'
           when l.path glob '*/.ssh/*' then 'SSH keys'
           when l.path glob '/etc/systemd/*' or l.path glob '/lib/systemd/*' or l.path glob '/usr/lib/systemd/*' or l.path glob '/etc/init.d/*' or l.path glob '/etc/rc.local' then 'service definitions'
           when l.path in ('/etc/passwd', '/etc/shadow', '/etc/group', '/etc/sudoers') or l.path glob '/etc/sudoers.d/*' then 'accounts'
           when l.path glob '/etc/ld.so.preload' then 'library preload'
           when l.path glob '/etc/*' then '/etc'
           when l.path glob '/root/*' then 'root home'
           when l.path glob '/home/*' then 'home directory'
           when l.path glob '/usr/bin/*' or l.path glob '/usr/sbin/*' or l.path glob '/usr/local/bin/*' or l.path glob '/usr/local/sbin/*'
             or l.path glob '/bin/*' or l.path glob '/sbin/*' then 'system binaries'
           when l.path glob '/lib/*' or l.path glob '/lib64/*' or l.path glob '/usr/lib/*' then 'system libraries'
           when (l.path glob '/tmp/*' or l.path glob '/var/tmp/*' or l.path glob '/dev/shm/*')
             and (l.path glob '*/.*' or l.path glob '*.sh' or l.path glob '*.py' or l.path glob '*.pl' or l.path glob '*.elf' or l.path glob '*.so' or l.path glob '*.bin') then 'hidden or script file in a temp directory: staged tooling'
         end as area
    from leaves l
)
select coalesce(s.subject_kind, 'container') as subject_kind,
       coalesce(s.subject_name, substr(h.container_id, 1, 12), 'unknown container') as subject_name,
       s.subject_namespace, coalesce(s.subject_id, h.container_id) as subject_id, s.subject_container, s.subject_image, s.subject_host,
       (case h.change when 'A' then 'added ' else 'changed ' end) || h.path || ' (' || h.area || ')' as reason,
       h.file_id, h.locator
  from hits h
  left join container_subjects s on s.container_id = h.container_id
 where h.area is not null
   -- mount points of volumes and binds show up as added directories: not writes to the layer
   and not exists (select 1 from container_mounts m where m.container_row = s.id and m.destination = h.path)
