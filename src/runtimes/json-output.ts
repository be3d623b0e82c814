/** Helpers shared by the adapters that read a JSON result printed by a CLI. */

export type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every JSON object printed on its own line, in order (JSON-lines output). */
export function jsonLines(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("{")) continue;
    try {
      const v: unknown = JSON.parse(t);
      if (isObject(v)) out.push(v);
    } catch {
      // Not JSON: ordinary log text.
    }
  }
  return out;
}

/** The whole output as one JSON object, else the last JSON line, else undefined. */
export function lastJsonObject(text: string): JsonObject | undefined {
  const t = text.trim();
  if (t.startsWith("{")) {
    try {
      const v: unknown = JSON.parse(t);
      if (isObject(v)) return v;
    } catch {
      // Fall back to JSON lines below.
    }
  }
  return jsonLines(text).at(-1);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}
