import { kubernetesIngester } from '../kubernetes/ingester.js';

/**
 * Any other kubectl JSON: namespaces, nodes, network policies, services, webhook configurations,
 * Gatekeeper / Kyverno / ValidatingAdmissionPolicy objects, events, `kubectl version -o json`.
 */
export const k8sObjects = kubernetesIngester('k8s-objects', 'objects', 'Kubernetes cluster objects (kubectl JSON)');
