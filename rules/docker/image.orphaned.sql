-- id: image.orphaned
-- title: Image used by no container
-- severity: INFO
-- group: docker
-- attack: T1525
-- description: An image that no running or stopped container uses is either leftover or was
--   pulled or built on the host for later use — an attacker's tooling image, or the image of a
--   container that was deleted to cover tracks. Worth a look during an incident.
-- remediation: Check who pulled or built it (daemon logs, history) and remove unneeded images.
-- false-positives: Base images of local builds and images kept for rollback.
select 'image' as subject_kind, s.subject_name, s.subject_host,
       'image ' || substr(replace(s.image_id, 'sha256:', ''), 1, 12) || ' is used by none of the ' ||
         (select count(*) from containers) || ' containers in the evidence' as reason,
       s.file_id, s.locator
  from image_subjects s
 where exists (select 1 from containers where runtime = 'docker')
   and exists (select 1 from images i where i.image_id = s.image_id and i.source in ('inspect', 'listing'))
   and not exists (select 1 from containers c where c.image_id = s.image_id)
   and not exists (select 1 from docker_ps p join image_refs r on r.image_id = s.image_id
                    where p.image = r.repository or p.image = substr(r.repository, length('docker.io/library/') + 1) || ':' || r.tag
                       or p.image = substr(r.repository, length('docker.io/') + 1) || ':' || r.tag or p.image = r.repository || ':' || r.tag)
   -- an image that is the parent of a used image is not orphaned: it is a base layer
   and not exists (select 1 from image_history h join containers c on c.image_id = h.image_id where h.layer_id = s.image_id)
