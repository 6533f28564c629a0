-- id: image.untrusted-registry
-- title: Image from a registry outside the trusted list
-- severity: SUSPICIOUS
-- group: docker
-- attack: T1525, T1204.003
-- description: When the organisation's trusted registries are configured, an image pulled from
--   anywhere else (Docker Hub, a personal registry, a typosquatted name) did not go through its
--   supply-chain controls; it is a classic way in for a backdoored or miner image.
-- remediation: Confirm where the image came from and who deployed it; enforce an admission or
--   daemon policy that only allows the trusted registries.
-- false-positives: Only evaluated when `trusted_registries` is configured; add legitimate
--   registries (a registry host, or host/path prefix) to it.
-- Every reference naming an image (listings, inspects, archives, CRI) and every container's
-- configured image; the finding's subject is the image (image_subjects) when its id is known,
-- else the reference itself.
with refs as (
  select r.reference, r.repository, r.registry, r.file_id, r.locator, r.image_id from image_refs r
  union all
  select c.image,
         case when instr(c.image, '/') > 0 and (instr(substr(c.image, 1, instr(c.image, '/') - 1), '.') > 0
                or instr(substr(c.image, 1, instr(c.image, '/') - 1), ':') > 0 or substr(c.image, 1, instr(c.image, '/') - 1) = 'localhost')
              then c.image else 'docker.io/' || c.image end,
         case when instr(c.image, '/') > 0 and (instr(substr(c.image, 1, instr(c.image, '/') - 1), '.') > 0
                or instr(substr(c.image, 1, instr(c.image, '/') - 1), ':') > 0 or substr(c.image, 1, instr(c.image, '/') - 1) = 'localhost')
              then substr(c.image, 1, instr(c.image, '/') - 1) else 'docker.io' end,
         c.file_id, coalesce(json_extract(c.field_locators, '$.image'), c.locator), c.image_id
    from container_subjects c where c.image is not null and c.image <> '' and c.image not glob 'sha256:*'
)
select 'image' as subject_kind,
       coalesce(s.subject_name, r.reference) as subject_name,
       coalesce(s.subject_id, r.image_id) as subject_id,
       coalesce(s.subject_host, (select h.host from files f join inputs h on h.id = f.input_id where f.id = r.file_id)) as subject_host,
       'registry ' || r.registry || ' (' || r.reference || ') is not in trusted_registries (' ||
         (select group_concat(value, ', ') from config_list where name = 'trusted_registries') || ')' as reason,
       r.file_id, r.locator
  from refs r
  left join image_subjects s on s.image_id = r.image_id
 where exists (select 1 from config_list where name = 'trusted_registries')
   and not exists (select 1 from config_list t where t.name = 'trusted_registries'
                    and (r.registry = t.value or r.repository = t.value or r.repository glob t.value || '/*'
                         or (t.value = 'docker.io' and r.registry = 'docker.io')))
