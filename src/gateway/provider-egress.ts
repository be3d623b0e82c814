/**
 * What a model request asks the provider to reach on the agent's behalf.
 * The allowlist holds the container's own connections; a request can also
 * have the provider's servers search the web, fetch a URL, open a page or
 * connect to an MCP server, and a prompt-injected agent can put secrets or
 * repository contents into that URL or query. So, for every request:
 *
 * - search (query only: Anthropic `web_search_*`, OpenAI `web_search` with
 *   cached results, Gemini `googleSearch`/`googleSearchRetrieval`/
 *   `enterpriseWebSearch`, `googleMaps`) passes only for a run whose
 *   allowlist names `preset:web-search`;
 * - fetch (Anthropic `web_fetch_*`, Gemini `urlContext`, OpenAI live web
 *   search, whose pages the provider opens live, and `web_search_preview`,
 *   whose live access cannot be switched off) only with `preset:web-fetch`;
 *   without it an OpenAI `web_search` is sent with
 *   `external_web_access: false` when the run allows search;
 * - a server the provider connects to (Anthropic `mcp_servers`, an OpenAI
 *   `mcp` tool's `server_url`) and a URL it fetches as an input (image or
 *   document `source.type: "url"`, `image_url`, `file_url`, Gemini
 *   `fileData.fileUri`) only when its host and port are on the run's
 *   allowlist, as the container's own connection would be; an OpenAI
 *   connector (`connector_id`, no URL) never;
 * - a tool type the gateway does not know, an OpenAI stored prompt and a
 *   Gemini cached content (whose tools it cannot see) are refused: they may
 *   reach anything.
 *
 * Tools the provider runs with no network (code execution, file search,
 * image generation, tool search) and tools the client runs pass.
 */
import type { Allowlist } from "./hosts.js";
import type { ProviderName } from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export const WEB_SEARCH_PRESET = "preset:web-search";
export const WEB_FETCH_PRESET = "preset:web-fetch";

/** What a run lets the provider reach for it. */
export interface ProviderReach {
  search: boolean;
  fetch: boolean;
  allowlist: Allowlist;
}

export interface EgressVerdict {
  /** Why the request is refused, one entry per thing it asks for (empty: it passes). */
  refused: string[];
  /** The body to send (an OpenAI web search limited to cached results), when it differs. */
  body?: Obj;
}

const ANTHROPIC_CLIENT = /^(?:bash|text_editor|computer|memory)_\d{8}$/;
/** Anthropic tools the provider runs without reaching the network (its code sandbox has no internet). */
const ANTHROPIC_OFFLINE = /^(?:code_execution|tool_search_tool_(?:regex|bm25)|advisor)_\d{8}$/;
const OPENAI_CLIENT = new Set(["function", "custom", "local_shell", "shell", "apply_patch", "computer_use_preview", "computer"]);
/** OpenAI tools run by the provider without reaching the network for the request (its code containers have no internet). */
const OPENAI_OFFLINE = new Set(["code_interpreter", "file_search", "image_generation", "tool_search"]);
const GEMINI_OFFLINE = new Set(["functionDeclarations", "codeExecution", "fileSearch", "computerUse"]);
const GEMINI_SEARCH = new Set(["googleSearch", "googleSearchRetrieval", "enterpriseWebSearch", "googleMaps"]);
const GEMINI_FETCH = new Set(["urlContext"]);

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const needSearch = (what: string): string => `${what} (the provider searches the web with what the request says; allow ${WEB_SEARCH_PRESET} in limits.network)`;
const needFetch = (what: string): string => `${what} (the provider fetches any URL it is given; allow ${WEB_FETCH_PRESET} in limits.network)`;
const unknownTool = (what: string): string => `${what} (a provider tool the gateway does not know, which may reach the network)`;

/** Checks one generating or counting request; never throws on odd shapes (the provider refuses those). */
export function providerEgress(provider: ProviderName, path: string, body: Obj | undefined, reach: ProviderReach): EgressVerdict {
  const out: EgressVerdict = { refused: [] };
  if (!body) return out;
  if (provider === "anthropic") anthropic(body, reach, out);
  else if (provider === "openai") openai(path, body, reach, out);
  else gemini(body, reach, out);
  out.refused = [...new Set(out.refused)];
  return out;
}

/** `host:port` of an http(s) URL the provider would connect to, checked against the allowlist; the reason otherwise. */
function urlRefusal(what: string, url: unknown, reach: ProviderReach): string | undefined {
  if (typeof url !== "string") return `${what} without a URL the gateway can check`;
  if (/^data:/i.test(url.trim())) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${what}: not a URL the gateway can check`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return `${what}: ${u.protocol} URLs are not passed`;
  const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
  if (reach.allowlist.allows(u.hostname, port)) return undefined;
  return `${what} at ${u.hostname}:${port} (the provider would connect there; the host is not on this agent's limits.network allow list)`;
}

/** Every URL the request's content asks the provider to fetch, by the shapes each API takes. */
function contentUrls(value: unknown, out: { what: string; url: unknown }[], depth = 0): void {
  // Deeper than any API's content goes: not read, so not passed.
  if (depth > 64) {
    out.push({ what: "content nested too deep to check", url: undefined });
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) contentUrls(v, out, depth + 1);
    return;
  }
  if (!isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    // Tool call arguments and tool schemas are the client's data, not fetch instructions.
    if (key === "input" && (value.type === "tool_use" || value.type === "server_tool_use")) continue;
    if (key === "args" || key === "arguments" || key === "parameters" || key === "input_schema") continue;
    if (key === "source" && isObj(v) && v.type === "url") out.push({ what: "a URL source", url: v.url });
    else if (key === "image_url" && (typeof v === "string" || isObj(v))) out.push({ what: "an image URL", url: typeof v === "string" ? v : v.url });
    else if (key === "file_url" && typeof v === "string") out.push({ what: "a file URL", url: v });
    else if ((key === "fileData" || key === "file_data") && isObj(v)) out.push({ what: "a file URI", url: v.fileUri ?? v.file_uri });
    else contentUrls(v, out, depth + 1);
  }
}

function checkContent(parts: unknown[], reach: ProviderReach, out: EgressVerdict): void {
  const urls: { what: string; url: unknown }[] = [];
  for (const p of parts) contentUrls(p, urls);
  for (const { what, url } of urls) {
    const why = url === undefined && what.startsWith("content nested") ? what : urlRefusal(what, url, reach);
    if (why) out.refused.push(why);
  }
}

function anthropic(body: Obj, reach: ProviderReach, out: EgressVerdict): void {
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t)) continue;
    const type = t.type;
    if (type === undefined || type === "custom" || type === "mcp_toolset") continue;
    const name = String(type);
    if (ANTHROPIC_CLIENT.test(name) || ANTHROPIC_OFFLINE.test(name)) continue;
    if (/^web_search_\d{8}$/.test(name)) {
      if (!reach.search) out.refused.push(needSearch(name));
    } else if (/^web_fetch_\d{8}$/.test(name)) {
      if (!reach.fetch) out.refused.push(needFetch(name));
    } else out.refused.push(unknownTool(name));
  }
  for (const s of Array.isArray(body.mcp_servers) ? body.mcp_servers : []) {
    const why = urlRefusal("an MCP server", isObj(s) ? s.url : undefined, reach);
    if (why) out.refused.push(why);
  }
  checkContent([body.system, body.messages], reach, out);
}

function openai(path: string, body: Obj, reach: ProviderReach, out: EgressVerdict): void {
  if (/\/chat\/completions$/.test(path)) {
    // Search models and web_search_options search (and open pages) on every request.
    if (body.web_search_options !== undefined || /search/i.test(String(body.model ?? ""))) {
      if (!(reach.search && reach.fetch)) out.refused.push(reach.search ? needFetch("web search of a Chat Completions search model") : needSearch("web search of a Chat Completions search model"));
    }
    for (const t of Array.isArray(body.tools) ? body.tools : []) {
      if (isObj(t) && t.type !== "function" && t.type !== "custom") out.refused.push(unknownTool(String(t.type)));
    }
    checkContent([body.messages], reach, out);
    return;
  }
  // A stored prompt's tools (a search, an MCP server) are not visible here.
  if (body.prompt !== undefined && body.prompt !== null) out.refused.push("a stored prompt (its tools are not visible to the gateway)");
  let rewritten = false;
  const walk = (tools: unknown): unknown => {
    if (!Array.isArray(tools)) return tools;
    return tools.map((t: unknown) => {
      if (!isObj(t)) return t;
      const type = String(t.type);
      if (type === "namespace") {
        const inner = walk(t.tools);
        return inner === t.tools ? t : { ...t, tools: inner };
      }
      if (OPENAI_CLIENT.has(type) || OPENAI_OFFLINE.has(type)) return t;
      if (/^web_search_preview(?:_\d{4}_\d{2}_\d{2})?$/.test(type)) {
        if (!reach.search) out.refused.push(needSearch(type));
        else if (!reach.fetch) out.refused.push(needFetch(`${type} (its live page access cannot be switched off; use web_search)`));
        return t;
      }
      if (/^web_search(?:_\d{4}_\d{2}_\d{2})?$/.test(type)) {
        if (!reach.search) out.refused.push(needSearch(type));
        else if (!reach.fetch && t.external_web_access !== false) {
          // Cached results only: the provider opens no live page the model names.
          rewritten = true;
          return { ...t, external_web_access: false };
        }
        return t;
      }
      if (type === "mcp") {
        const why = t.server_url === undefined && t.connector_id !== undefined ? "an OpenAI connector (the provider connects to a service for the request)" : urlRefusal("an MCP server", t.server_url, reach);
        if (why) out.refused.push(why);
        return t;
      }
      out.refused.push(unknownTool(type));
      return t;
    });
  };
  const tools = walk(body.tools);
  // Codex declares its tools in an input item as well as (or instead of) `tools`.
  const input = Array.isArray(body.input)
    ? body.input.map((item: unknown) => (isObj(item) && item.type === "additional_tools" ? { ...item, tools: walk(item.tools) } : item))
    : body.input;
  checkContent([body.instructions, body.input], reach, out);
  if (rewritten && out.refused.length === 0) out.body = { ...body, ...(body.tools !== undefined ? { tools } : {}), ...(body.input !== undefined ? { input } : {}) };
}

function gemini(body: Obj, reach: ProviderReach, out: EgressVerdict): void {
  // A cached content can hold tools (URL context, search) the gateway never sees.
  if (body.cachedContent !== undefined || body.cached_content !== undefined) out.refused.push("a cachedContent (its tools are not visible to the gateway)");
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t)) continue;
    for (const key of Object.keys(t)) {
      const k = camel(key);
      if (GEMINI_OFFLINE.has(k)) continue;
      if (GEMINI_SEARCH.has(k)) {
        if (!reach.search) out.refused.push(needSearch(key));
      } else if (GEMINI_FETCH.has(k)) {
        if (!reach.fetch) out.refused.push(needFetch(key));
      } else out.refused.push(unknownTool(key));
    }
  }
  checkContent([body.systemInstruction, body.system_instruction, body.contents], reach, out);
}
