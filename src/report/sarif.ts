import type { Finding } from '../engine/finding.js';
import type { Rule, Severity } from '../engine/rule.js';
import { visible } from './escape.js';
import type { FindingsDocument } from './document.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { MALICIOUS: 'error', SUSPICIOUS: 'warning', INFO: 'note' };

/**
 * SARIF 2.1.0: one run, every loaded rule as a reportingDescriptor, one result per finding with
 * the evidence as its locations. Strings go through JSON.stringify; control and bidi characters
 * are made visible first so that viewers cannot be tricked.
 */
export function renderSarif(doc: FindingsDocument, rules: readonly Rule[]): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: doc.tool.name,
            version: doc.tool.version,
            semanticVersion: doc.tool.version,
            informationUri: 'https://github.com/container-forensics/container-forensics',
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id,
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.description },
              help: { text: r.meta.remediation },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { group: r.meta.group, tags: r.meta.attack, 'cf-severity': r.meta.severity },
            })),
          },
        },
        invocations: [{ executionSuccessful: doc.rule_failures.length === 0, endTimeUtc: doc.generated_at }],
        results: doc.findings.map((f) => result(f, ruleIndex.get(f.rule))),
      },
    ],
  };
}

function result(f: Finding, ruleIndex: number | undefined): object {
  const locations = f.evidence.map((e) => {
    const line = /^line (\d+)$/.exec(e.locator ?? '');
    return {
      physicalLocation: {
        artifactLocation: { uri: encodeUri(e.path) },
        ...(line ? { region: { startLine: Number(line[1]) } } : {}),
      },
      ...(e.locator && !line ? { message: { text: visible(`at ${e.locator}`) } } : {}),
    };
  });
  return {
    ruleId: f.rule,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: visible(`${f.title}: ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}. ${f.reasons.join('; ')}`) },
    ...(locations.length > 0 ? { locations } : {}),
    partialFingerprints: { 'cfFindingId/v1': f.id },
    properties: {
      severity: f.severity,
      redFlag: f.red_flag,
      group: f.group,
      attack: f.attack,
      subject: f.subject,
      ...(f.first_seen ? { firstSeen: f.first_seen } : {}),
      ...(f.last_seen ? { lastSeen: f.last_seen } : {}),
    },
  };
}

/** Bundle paths are attacker text: percent-encode everything outside a safe URI set. */
function encodeUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
