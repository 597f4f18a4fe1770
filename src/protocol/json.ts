/** The one JSON-object test every validator in this folder shares. */
export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
