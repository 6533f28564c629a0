import { z } from 'zod';
import { GROUPS, SEVERITIES } from '../engine/rule.js';

/**
 * The cf-findings/1 document (`cf-analyze --json`), as a zod schema: the contract in
 * docs/findings-schema.md, checkable by consumers (`FindingsDocumentSchema.parse(json)`).
 * Objects are loose: fields may be added within version 1, never removed or changed.
 */
const Nullable = z.string().nullable();

export const SubjectSchema = z.looseObject({
  kind: z.string(),
  name: z.string(),
  namespace: Nullable,
  id: Nullable,
  container: Nullable,
  image: Nullable,
});

export const FindingSchema = z.looseObject({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  group: z.enum(GROUPS),
  red_flag: z.boolean(),
  title: z.string(),
  description: z.string(),
  remediation: z.string(),
  attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)),
  subject: SubjectSchema,
  evidence: z.array(z.looseObject({ path: z.string(), sha256: Nullable, locator: Nullable })),
  first_seen: Nullable,
  last_seen: Nullable,
});

export const FindingsDocumentSchema = z.looseObject({
  schema: z.literal('cf-findings/1'),
  tool: z.looseObject({ name: z.literal('cf-analyze'), version: z.string() }),
  inputs: z.array(
    z.looseObject({
      path: z.string(),
      sha256: Nullable,
      host: Nullable,
      collected_at: Nullable,
      integrity: z.enum(['verified', 'failed', 'unverifiable']),
    }),
  ),
  summary: z.looseObject({ MALICIOUS: z.number(), SUSPICIOUS: z.number(), INFO: z.number(), red_flags: z.number() }),
  findings: z.array(FindingSchema),
});
