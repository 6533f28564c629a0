import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

export const TOOL_NAME = 'cf-analyze';
export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** ATT&CK release the technique ids were checked against. */
export const ATTACK_VERSION = 'ATT&CK v18 (Containers matrix)';
