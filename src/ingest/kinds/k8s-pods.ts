import { kubernetesIngester } from '../kubernetes/ingester.js';

/** `kubectl get pods -A -o json` (PodList / List of Pods, streamed when large) or one Pod. */
export const k8sPods = kubernetesIngester('k8s-pods', 'pods', 'Kubernetes pods (kubectl get pods -o json)', 'k8s-pods.json');
