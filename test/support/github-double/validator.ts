/**
 * Validates requests and responses against GitHub's OpenAPI description.
 * Component schemas are converted (OpenAPI 3.0 → JSON Schema) and compiled
 * only when an operation that reaches them is first hit, then cached.
 */
import { Ajv, type ValidateFunction, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadSpec, type Json, type JsonObject, type MatchedOperation, type OpenApiSpec } from "./spec.js";

const COMPONENT_BASE = "https://openapi.double.invalid/schemas/";
// GitHub's spec uses these formats beyond what ajv-formats knows; they are only hints.
const HINT_FORMATS = ["int32", "int64", "double", "repo.nwo", "binary", "timestamp"];

// ajv-formats ships CommonJS; its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * GitHub answers these on any route although the description omits them on
 * many (update-comment declares no 404, yet a deleted comment gives one).
 */
const CROSS_CUTTING: Record<number, JsonObject> = {
  401: { $ref: "#/components/responses/requires_authentication" },
  // "Resource not accessible by integration": any operation, for a token without the permission.
  403: { $ref: "#/components/responses/forbidden" },
  404: { $ref: "#/components/responses/not_found" },
};

export interface Violation {
  kind: "request" | "response" | "unknown-route" | "unimplemented" | "webhook";
  method: string;
  path: string;
  operationId?: string;
  message: string;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * OpenAPI 3.0 quirks: `nullable` instead of a "null" type, `$ref` into
 * #/components, `example` keywords. `oneOf` becomes `anyOf` because GitHub's
 * alternatives overlap (an object matching two branches is still valid there).
 */
export function toJsonSchema(node: Json, refs: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, refs));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples" || key === "nullable" || key === "discriminator") continue;
    if (key === "$ref" && typeof value === "string") {
      const name = value.replace("#/components/schemas/", "");
      refs.add(name);
      out.$ref = COMPONENT_BASE + encodeURIComponent(name);
      continue;
    }
    if (key === "properties" && isObject(value)) {
      // Property names are data, not keywords: convert each value only.
      const props: JsonObject = {};
      for (const [p, s] of Object.entries(value)) props[p] = toJsonSchema(s, refs);
      out.properties = props;
      continue;
    }
    out[key === "oneOf" ? "anyOf" : key] = toJsonSchema(value, refs);
  }
  if (node.nullable === true) {
    if (typeof out.type === "string" && out.$ref === undefined) {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: "array" });
  private readonly added = new Set<string>();
  private readonly cache = new Map<string, ValidateFunction>();
  /** Milliseconds spent converting and compiling, for the report. */
  compileMs = 0;
  compiled = 0;

  constructor() {
    // Query parameters are checked against their formats too (`since` must be a date-time).
    addFormats(this.ajv);
    addFormats(this.coercing);
    for (const f of HINT_FORMATS) {
      this.ajv.addFormat(f, true);
      this.coercing.addFormat(f, true);
    }
  }

  private get spec(): OpenApiSpec {
    return loadSpec().spec;
  }

  /** Adds the named component schemas (and what they reach) to ajv once. */
  private addComponents(names: Set<string>): void {
    const queue = [...names];
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (this.added.has(name)) continue;
      const raw = this.spec.components.schemas[name];
      if (!raw) throw new Error(`OpenAPI: unknown schema #/components/schemas/${name}`);
      const refs = new Set<string>();
      const schema = toJsonSchema(raw, refs) as JsonObject;
      this.ajv.addSchema({ ...schema, $id: COMPONENT_BASE + encodeURIComponent(name) });
      this.added.add(name);
      queue.push(...refs);
    }
  }

  private compile(key: string, schema: Json, ajv: Ajv = this.ajv): ValidateFunction {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const started = performance.now();
    const refs = new Set<string>();
    const converted = toJsonSchema(schema, refs);
    this.addComponents(refs);
    const fn = ajv.compile(isObject(converted) ? converted : {});
    this.compileMs += performance.now() - started;
    this.compiled++;
    this.cache.set(key, fn);
    return fn;
  }

  /** Problems with one request; empty when it matches the operation. */
  validateRequest(
    match: MatchedOperation,
    query: URLSearchParams,
    body: Json | undefined,
    contentType: string | undefined,
  ): string[] {
    const problems: string[] = [];
    for (const where of ["path", "query"] as const) {
      const params = match.parameters.filter((p) => p.in === where);
      const properties: JsonObject = {};
      const required: string[] = [];
      for (const p of params) {
        properties[p.name] = (p.schema ?? {}) as Json;
        if (p.required) required.push(p.name);
      }
      const values: Record<string, Json> = {};
      if (where === "path") Object.assign(values, match.pathParams);
      else
        for (const key of new Set(query.keys())) {
          if (!(key in properties)) problems.push(`query parameter "${key}" is not declared`);
          else values[key] = query.getAll(key).length > 1 ? query.getAll(key) : (query.get(key) ?? "");
        }
      const validate = this.compile(
        `${match.operationId} ${where}`,
        { type: "object", properties, required },
        this.coercing,
      );
      if (!validate(values)) problems.push(...formatErrors(`${where} `, validate.errors));
    }
    const requestBody = match.operation.requestBody;
    if (!requestBody) return problems;
    const content = isObject(requestBody.content) ? requestBody.content : {};
    const json = content["application/json"];
    if (body === undefined) {
      if (requestBody.required === true) problems.push("request body is required");
      return problems;
    }
    if (!isObject(json)) return problems; // non-JSON media types are not checked
    if (contentType && !contentType.includes("json")) problems.push(`content-type ${contentType} is not JSON`);
    const validate = this.compile(`${match.operationId} body`, json.schema ?? {});
    if (!validate(body)) problems.push(...formatErrors("body", validate.errors));
    problems.push(...unknownFields(json.schema, body));
    return problems;
  }

  /**
   * Problems with a webhook payload the double sends, against the schema in
   * the description's `x-webhooks` (e.g. webhook-issue-comment-created).
   */
  validateWebhook(event: string, payload: JsonObject): string[] {
    const action = typeof payload.action === "string" ? `-${payload.action}` : "";
    const name = `webhook-${event.replace(/_/g, "-")}${action}`;
    if (!this.spec.components.schemas[name]) return [`no webhook schema ${name} in the description`];
    const validate = this.compile(`${name} webhook`, { $ref: `#/components/schemas/${name}` });
    return validate(payload) ? [] : formatErrors("payload", validate.errors);
  }

  /** Problems with one response; empty when its status and body are declared. */
  validateResponse(match: MatchedOperation, status: number, body: Json | undefined): string[] {
    const responses = match.operation.responses;
    let declared = responses[String(status)] ?? responses.default ?? CROSS_CUTTING[status];
    if (!declared) return [`status ${status} is not declared (declared: ${Object.keys(responses).join(", ")})`];
    if (typeof declared.$ref === "string") {
      const name = declared.$ref.replace("#/components/responses/", "");
      declared = this.spec.components.responses[name] ?? {};
    }
    const content = isObject(declared.content) ? declared.content : undefined;
    const json = content?.["application/json"];
    if (!isObject(json) || json.schema === undefined) {
      return body === undefined || body === "" ? [] : [`status ${status} declares no JSON body but one was sent`];
    }
    const validate = this.compile(`${match.operationId} ${status} response`, json.schema);
    return validate(body ?? null) ? [] : formatErrors("response", validate.errors);
  }
}

/**
 * GitHub ignores body fields it does not know, which hides typos in callers;
 * the double is stricter and names them (inline object schemas only).
 */
function unknownFields(schema: Json | undefined, body: Json): string[] {
  if (!isObject(schema) || !isObject(schema.properties) || schema.additionalProperties !== undefined) return [];
  if (!isObject(body)) return [];
  const known = schema.properties;
  return Object.keys(body)
    .filter((k) => !(k in known))
    .map((k) => `body field "${k}" is not in the operation's schema`);
}

function formatErrors(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  // anyOf branches produce noise; keep the first few specific messages.
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${prefix}${e.instancePath || ""} ${e.message ?? "is invalid"}${paramsText(e)}`.trim());
}

function paramsText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (typeof p.missingProperty === "string") return "";
  if (Array.isArray(p.allowedValues)) return ` (${p.allowedValues.join(", ")})`;
  return "";
}
