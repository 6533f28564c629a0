/**
 * Attacker-controlled text (names, commands, paths from a compromised host) is escaped for each
 * output it reaches: Markdown, the terminal. JSON and SARIF escape themselves through
 * JSON.stringify; control characters are still made visible there by `visible`.
 */

// C0 and C1 controls, DEL, and Unicode bidi overrides / zero-width marks that can reorder or
// hide text in a viewer ("Trojan Source").
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Replaces control and bidi characters with a visible `\u{..}` form. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * Safe inline Markdown: one line, and every character that can start inline markup (emphasis,
 * code, links, images, HTML, entities, table cells) backslash-escaped. Block-level markup cannot
 * start mid-line, so `.`, `-`, `#` and friends stay readable.
 */
export function md(text: string | null | undefined, maxLength = 500): string {
  if (text === null || text === undefined) return '';
  let t = visible(String(text).replace(/\r\n|\r|\n|\t/g, ' '));
  if (t.length > maxLength) t = `${t.slice(0, maxLength)}… (${t.length - maxLength} more characters)`;
  return t.replace(/[\\`*_[\]<>!|~&]/g, (c) => `\\${c}`);
}

/** Safe for a terminal: no escape sequences, no control characters. */
export function terminal(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return visible(String(text).replace(/\t/g, ' ').replace(/\r\n|\r|\n/g, ' '));
}
