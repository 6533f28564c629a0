-- id: k8s.pod.privileged
-- title: Privileged container in a pod
-- severity: SUSPICIOUS
-- group: kubernetes
-- attack: T1611, T1610
-- description: A privileged container has every capability, all host devices and no seccomp or
--   AppArmor confinement: mounting the host disk or loading a kernel module is one command away,
--   so whoever runs code in it (or execs into it) owns the node. Containers, initContainers and
--   ephemeral debug containers are all checked; a controller's pod template is reported when none
--   of its pods are in the evidence (a CronJob that has not run yet, a Deployment scaled to zero).
-- remediation: Remove privileged: true; grant the one capability or device the workload needs.
--   Enforce the Pod Security Admission "baseline" level (or a Gatekeeper/Kyverno policy) in the
--   namespace. Find out who created the workload and what ran in it.
-- false-positives: Node agents (CNI, CSI, monitoring) are often privileged by design; kube-proxy
--   of a kubeadm cluster (recognised by namespace, owner, image and service account) is not reported.
select e.subject_kind, e.subject_name, e.subject_namespace, e.subject_id, e.container as subject_container, e.subject_image,
       e.owner_desc || ': ' ||
         case e.container_type when 'init' then 'init container ' when 'ephemeral' then 'ephemeral container ' else 'container ' end ||
         e.container || ' runs privileged (securityContext.privileged: true)' ||
         coalesce(' on node ' || e.node_name, '') as reason,
       e.file_id, e.locator, e.created as first_seen,
       json_object('owner', e.owner_desc, 'node', e.node_name, 'container_type', e.container_type) as details
  from k8s_exposure_subjects e
 where e.exposure = 'privileged' and e.reportable = 1 and e.expected = 0
