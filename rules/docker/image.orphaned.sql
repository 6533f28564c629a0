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
-- Judged only where the evidence lists containers (docker inspect/ps, crictl inspect/ps): an image
-- is used when a container runs it (by id, by the reference it was configured with, or by docker
-- ps's short id), when it is a pod sandbox's (pause) image, or when it is the parent of a used
-- image. Containers are counted once each (ctr lists docker's again in the moby namespace).
with listed as (
  select container_id from container_subjects where runtime in ('docker', 'cri')
  union select container_id from docker_ps
  union select container_id from cri_containers
)
select 'image' as subject_kind, s.subject_name, s.subject_id, s.subject_host,
       'image ' || substr(replace(s.image_id, 'sha256:', ''), 1, 12) || ' is used by none of the ' ||
         (select count(*) from listed) || ' containers in the evidence' as reason,
       s.file_id, s.locator
  from image_subjects s
 where exists (select 1 from listed)
   and exists (select 1 from images i where i.image_id = s.image_id and i.source in ('inspect', 'listing'))
   and not exists (select 1 from containers c where c.image_id = s.image_id)
   and not exists (select 1 from containers c join image_refs r on r.image_id = s.image_id where c.image = r.reference)
   and not exists (select 1 from docker_ps p
                    where p.image = substr(replace(s.image_id, 'sha256:', ''), 1, 12) or p.image = s.image_id
                       or exists (select 1 from image_refs r where r.image_id = s.image_id
                                   and (p.image = r.reference or p.image || ':latest' = r.reference)))
   and not exists (select 1 from cri_containers k
                    where k.image = s.image_id or k.image_ref = s.image_id
                       or exists (select 1 from image_refs r where r.image_id = s.image_id and (k.image = r.reference or k.image_ref = r.reference)))
   -- the sandbox (pause) image: named by crictl inspectp, or the well-known pause repository when pods are listed
   and not exists (select 1 from pod_sandboxes b join image_refs r on r.image_id = s.image_id and r.reference = b.image)
   and not (exists (select 1 from image_refs r where r.image_id = s.image_id and r.repository glob '*/pause')
            and (exists (select 1 from cri_pods) or exists (select 1 from pod_sandboxes)))
   -- an image that is the parent of a used image is not orphaned: it is a base layer
   and not exists (select 1 from image_history h join containers c on c.image_id = h.image_id where h.layer_id = s.image_id)
