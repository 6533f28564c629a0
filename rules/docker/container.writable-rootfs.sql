-- id: container.writable-rootfs
-- title: Container root filesystem is writable
-- severity: INFO
-- group: docker
-- attack:
-- description: A writable root filesystem lets whoever runs code in the container drop tools,
--   change binaries and persist until the container is removed. Most services need only a few
--   writable paths (a volume, a tmpfs); a read-only root makes tampering visible and harder.
-- remediation: Run with `--read-only` (securityContext.readOnlyRootFilesystem: true) and mount
--   the paths that must be written as volumes or tmpfs.
select subject_kind, subject_name, subject_namespace, subject_id, subject_container, subject_image, subject_host,
       'root filesystem is writable (' || runtime || ' readonly_rootfs=false)' as reason,
       file_id, coalesce(json_extract(field_locators, '$.readonly_rootfs'), locator) as locator
  from container_subjects
 where coalesce(readonly_rootfs, 0) = 0
