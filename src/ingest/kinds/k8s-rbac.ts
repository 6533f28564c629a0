import { kubernetesIngester } from '../kubernetes/ingester.js';

/** Roles, ClusterRoles, RoleBindings, ClusterRoleBindings and ServiceAccounts (kubectl JSON). */
export const k8sRbac = kubernetesIngester('k8s-rbac', 'rbac', 'Kubernetes RBAC: roles, bindings, service accounts (kubectl JSON)');
