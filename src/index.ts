/** Library API of cf-analyze: the CLI is a thin layer over these. */
export { analyze, FORENSICS_DIR, type AnalyzeOptions, type AnalysisResult } from './analyze.js';
export { resolveConfig, loadConfigFile, DEFAULT_CONFIG, type Config, type ConfigOverrides } from './config.js';
export { CfError, ExitStatus, type ErrorCode } from './errors.js';
export { loadRules } from './engine/load-rules.js';
export { defineRule, type Rule, type RuleMeta, type FindingRow, type RuleContext, type Severity, type Group } from './engine/rule.js';
export type { Finding, Subject, EvidencePointer } from './engine/finding.js';
export type { FindingsDocument, InputSummary } from './report/document.js';
export { renderMarkdown } from './report/markdown.js';
export { renderSarif } from './report/sarif.js';
export { CaseDb } from './case-db/case-db.js';
export { FindingsDocumentSchema, FindingSchema } from './report/findings-schema.js';
