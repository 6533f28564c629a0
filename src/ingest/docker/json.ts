/** Lenient readers for loosely typed runtime JSON (crictl, ctr, OCI specs): wrong shapes read as empty. */
export type Json = Record<string, unknown>;

/** The value as an object, or {} when it is not one (null, an array, a scalar). */
export const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** The value as an array, or [] when it is not one. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The string elements of an array value ([] when it is not an array). */
export const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');
