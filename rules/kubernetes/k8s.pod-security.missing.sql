-- id: k8s.pod-security.missing
-- title: Namespace without Pod Security Admission enforcement or policy engine
-- severity: INFO
-- group: kubernetes
-- attack:
-- description: A namespace whose pods are admitted with no pod-security control: no
--   pod-security.kubernetes.io/enforce label (or enforce=privileged, which allows everything), and
--   no Gatekeeper constraint, Kyverno policy or ValidatingAdmissionPolicy binding in enforce mode in
--   the cluster. Anyone who may create pods there can create privileged, host-namespace or
--   hostPath pods. Namespaces with no pods or workloads are left out.
-- remediation: Label the namespace pod-security.kubernetes.io/enforce=baseline (restricted where the
--   workloads allow it), or enforce an equivalent Gatekeeper/Kyverno policy.
-- false-positives: A cluster-wide default level in the API server's AdmissionConfiguration
--   (PodSecurity plugin defaults) is not visible in kubectl output.
select 'namespace' as subject_kind, n.namespace as subject_name,
       'namespace ' || n.namespace || ' has ' || (select count(*) from k8s_pod_specs p where p.namespace = n.namespace and p.source = 'pod') ||
         ' pod(s) and ' || (select count(*) from k8s_pod_specs p where p.namespace = n.namespace and p.source = 'template') || ' pod template(s) and ' ||
         case when n.psa_enforce = 'privileged' then 'Pod Security Admission enforce=privileged (nothing is rejected)'
              else 'no pod-security.kubernetes.io/enforce label' end ||
         coalesce('; audit=' || n.psa_audit, '') || coalesce('; warn=' || n.psa_warn, '') ||
         case when exists (select 1 from k8s_admission_policies a)
              then '; policy engine objects present but none enforcing: ' ||
                   (select group_concat(a.engine || ' ' || a.kind || ' ' || a.name || ' (' || a.mode || ')', ', ') from k8s_admission_policies a)
              else '; no Gatekeeper, Kyverno or ValidatingAdmissionPolicy enforcement seen' end as reason,
       n.file_id,
       n.locator || case when n.psa_enforce is not null then '/metadata/labels/pod-security.kubernetes.io~1enforce' else '/metadata' end as locator
  from k8s_namespace_security n
 where (n.psa_enforce is null or n.psa_enforce = 'privileged')
   and exists (select 1 from k8s_pod_specs p where p.namespace = n.namespace)
   and not exists (select 1 from k8s_admission_policies a
                    where a.mode = 'enforce' and (a.namespace is null or a.namespace = n.namespace))
