/**
 * Typed errors with stable codes. The CLI turns them into messages and exit statuses;
 * library callers can switch on `code` without parsing messages.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INPUT_UNREADABLE'
  | 'CONFIG_INVALID'
  | 'CASE_DB'
  | 'RULE_INVALID';

export class CfError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CfError';
  }
}

export class UsageError extends CfError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class InputUnreadableError extends CfError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INPUT_UNREADABLE', message, options);
  }
}

export class ConfigError extends CfError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export class RuleError extends CfError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RULE_INVALID', message, options);
  }
}

/** Documented exit statuses (README "Exit status"). Distinct so scripts can tell them apart. */
export const ExitStatus = {
  OK: 0,
  INTERNAL_ERROR: 1,
  USAGE: 2,
  INPUT_UNREADABLE: 3,
  RED_FLAG: 4,
  FAIL_ON: 5,
} as const;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
