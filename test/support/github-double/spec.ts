/**
 * GitHub's OpenAPI description, loaded once per process on first use, and
 * the lookup from (method, path) to the operation it describes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonObject;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  responses: Record<string, JsonObject>;
}

export interface OpenApiSpec {
  paths: Record<string, Record<string, JsonObject>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, JsonObject>;
    responses: Record<string, JsonObject>;
  };
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  template: string;
  operation: OpenApiOperation;
  /** Parameters of the path item and of the operation, $refs resolved. */
  parameters: OpenApiParameter[];
  pathParams: Record<string, string>;
}

interface RouteEntry {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  operation: OpenApiOperation;
  itemParameters: JsonObject[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

export interface LoadedSpec {
  spec: OpenApiSpec;
  loadMs: number;
  match(method: string, pathname: string): MatchedOperation | undefined;
  operationById(id: string): { method: string; template: string } | undefined;
}

let loaded: LoadedSpec | undefined;

/** The spec file inside @octokit/openapi; the non-dereferenced one is 6x smaller. */
function specPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@octokit/openapi/package.json")), "generated", "api.github.com.json");
}

export function loadSpec(): LoadedSpec {
  if (loaded) return loaded;
  const started = performance.now();
  const spec = JSON.parse(readFileSync(specPath(), "utf8")) as OpenApiSpec;
  const byKey = new Map<string, RouteEntry[]>();
  const byId = new Map<string, { method: string; template: string }>();
  for (const [template, item] of Object.entries(spec.paths)) {
    const segments = template.split("/").slice(1);
    const itemParameters = Array.isArray(item.parameters) ? (item.parameters as JsonObject[]) : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const operation = op as unknown as OpenApiOperation;
      const entry: RouteEntry = {
        method,
        template,
        segments,
        literals: segments.filter((s) => !s.startsWith("{")).length,
        operation,
        itemParameters,
      };
      const key = `${method} ${segments.length}`;
      const list = byKey.get(key) ?? [];
      list.push(entry);
      byKey.set(key, list);
      byId.set(operation.operationId, { method, template });
    }
  }
  // Literal segments win over parameters: /pulls/comments before /pulls/{pull_number}.
  for (const list of byKey.values()) list.sort((a, b) => b.literals - a.literals);

  const resolveParam = (p: JsonObject): OpenApiParameter => {
    const ref = p.$ref;
    if (typeof ref === "string") {
      const name = ref.replace("#/components/parameters/", "");
      const target = spec.components.parameters[name];
      if (!target) throw new Error(`OpenAPI: unknown parameter ${ref}`);
      return target as unknown as OpenApiParameter;
    }
    return p as unknown as OpenApiParameter;
  };

  const match = (method: string, pathname: string): MatchedOperation | undefined => {
    const parts = pathname.split("/").slice(1).map(decodeURIComponent);
    const m = method.toLowerCase();
    const list = byKey.get(`${m} ${parts.length}`) ?? [];
    for (const entry of list) {
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < entry.segments.length; i++) {
        const seg = entry.segments[i] ?? "";
        const part = parts[i] ?? "";
        if (seg.startsWith("{") && seg.endsWith("}")) {
          if (part === "") ok = false;
          pathParams[seg.slice(1, -1)] = part;
        } else if (seg !== part) ok = false;
        if (!ok) break;
      }
      if (!ok) continue;
      const parameters = [...entry.itemParameters, ...(entry.operation.parameters ?? [])].map(resolveParam);
      return {
        operationId: entry.operation.operationId,
        method: m,
        template: entry.template,
        operation: entry.operation,
        parameters,
        pathParams,
      };
    }
    return undefined;
  };

  loaded = {
    spec,
    loadMs: performance.now() - started,
    match,
    operationById: (id) => byId.get(id),
  };
  return loaded;
}
