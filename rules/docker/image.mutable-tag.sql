-- id: image.mutable-tag
-- title: Image referenced by a mutable tag
-- severity: INFO
-- group: docker
-- attack: T1525
-- description: A tag such as `latest` (or any tag without a pinned digest) can be re-pointed at a
--   different image by whoever can push to the repository. What ran cannot be proved to be what
--   was reviewed, and a poisoned push is picked up by the next pull or restart.
-- remediation: Reference images by digest (`repo@sha256:...`) or use immutable tags in the
--   registry; record the digest that ran (RepoDigests / imageRef).
-- The subject is the image (image_subjects: the reference as written, the image id in subject_id);
-- each reference a container used is its own finding (key).
select 'image' as subject_kind,
       coalesce(s.subject_name, c.image) as subject_name,
       s.subject_id,
       coalesce(s.subject_host, c.subject_host) as subject_host,
       c.image as key,
       c.image || ': ' ||
       case when c.image glob '*:latest' or c.image not glob '*:*' or c.image glob '*/*:*/*' then 'latest (explicit or implied)'
            else 'tag ' || substr(c.image, length(rtrim(c.image, replace(c.image, ':', ''))) + 1) || ' without a digest' end ||
         ' used by ' || c.subject_kind || ' ' || coalesce(c.subject_namespace || '/', '') || c.subject_name ||
         coalesce(' container ' || c.subject_container, '') as reason,
       c.file_id,
       coalesce(json_extract(c.field_locators, '$.image'), c.locator) as locator
  from container_subjects c
  left join image_subjects s on s.image_id = c.image_id
 where c.image is not null and c.image <> '' and c.image not glob '*@sha256:*'
   and c.image not glob 'sha256:*' and not (length(c.image) = 64 and c.image not glob '*[^0-9a-f]*')
