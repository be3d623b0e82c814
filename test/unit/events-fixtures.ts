/** GitHub's example webhook payloads (@octokit/webhooks-examples), as plain JSON. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface Definition {
  name: string;
  examples: unknown[];
}

export type Payload = Record<string, unknown>;

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("@octokit/webhooks-examples/package.json"));

/** api.github.com plus every GitHub Enterprise Server version the package ships. */
export const CATALOGUES = ["api.github.com", "ghes-31", "ghes-32", "ghes-33", "ghes-34", "ghes-35"];

const cache = new Map<string, Definition[]>();

export function loadCatalogue(name = "api.github.com"): Definition[] {
  let defs = cache.get(name);
  if (!defs) {
    defs = JSON.parse(readFileSync(join(root, name, "index.json"), "utf8")) as Definition[];
    cache.set(name, defs);
  }
  return defs;
}

/** A fresh copy of the first public example of `event` (with `action`, when given). */
export function example(event: string, action?: string): Payload {
  const def = loadCatalogue().find((d) => d.name === event);
  const found = def?.examples.find((p) => action === undefined || (p as Payload).action === action);
  if (!found) throw new Error(`no example for ${event}.${action ?? ""}`);
  return structuredClone(found) as Payload;
}

/** Read a dotted path of a fixture. */
export function get(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((cur, key) => (cur && typeof cur === "object" ? (cur as Payload)[key] : undefined), obj);
}

/** Set a dotted path of a fixture (the parents exist). */
export function set(obj: Payload, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  const parent = keys.reduce<unknown>((cur, key) => (cur as Payload)[key], obj) as Payload;
  parent[last] = value;
}
