import { falcoAlerts } from '../kinds/falco-alerts.js';
import { falcoRules } from '../kinds/falco-rules.js';
import { tetragonEvents } from '../kinds/tetragon-events.js';
import { tetragonPolicies } from '../kinds/tetragon-policies.js';
import { traceeEvents } from '../kinds/tracee-events.js';
import type { Ingester } from '../types.js';

/** The eBPF runtime evidence kinds (Falco, Tetragon, Tracee), registered in ../registry.ts as one entry. */
export const RUNTIME_INGESTERS: readonly Ingester[] = [falcoAlerts, falcoRules, tetragonEvents, tetragonPolicies, traceeEvents];
