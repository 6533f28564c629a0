import { kubernetesIngester } from '../kubernetes/ingester.js';

/** Deployments, DaemonSets, StatefulSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs (kubectl JSON). */
export const k8sWorkloads = kubernetesIngester('k8s-workloads', 'workloads', 'Kubernetes pod controllers and their pod templates (kubectl JSON)');
