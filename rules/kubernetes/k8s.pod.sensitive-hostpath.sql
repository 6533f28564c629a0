-- id: k8s.pod.sensitive-hostpath
-- title: Sensitive host path mounted into a pod
-- severity: SUSPICIOUS
-- group: kubernetes
-- attack: T1611
-- description: A hostPath volume of a sensitive_host_paths entry (or a parent of one) gives the pod
--   the node's files: / or /etc (write a cron job, an SSH key, a static pod manifest), /root and
--   /home (keys), /proc and /sys (kernel knobs), /var/lib/kubelet (every pod's service-account
--   token on the node). A container runtime socket (docker.sock, containerd.sock, crio.sock, or a
--   directory holding one) is a red flag: it starts privileged containers on the node at will.
-- remediation: Replace the hostPath with a ConfigMap, Secret, emptyDir or CSI volume; if a node
--   agent truly needs it, mount the narrowest path read-only. Check the node for files written
--   through the mount.
select e.subject_kind, e.subject_name, e.subject_namespace, e.subject_id, e.container as subject_container, e.subject_image,
       e.detail as key,
       case when e.exposure = 'runtime-socket' then 1 else 0 end as red_flag,
       e.owner_desc || ': ' || coalesce('container ' || e.container || ': ', '') || e.detail ||
         case when e.exposure = 'runtime-socket' then ' — a container runtime socket: full control of the node''s containers' else '' end ||
         coalesce(' on node ' || e.node_name, '') as reason,
       e.file_id, e.locator, e.created as first_seen
  from k8s_exposure_subjects e
 where e.exposure in ('sensitive-mount', 'runtime-socket') and e.reportable = 1 and e.expected = 0
