import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/gateway/hosts.ts
var LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;
function normalizeHost(host) {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}
function validName(name) {
  if (name.includes(":")) return /^[0-9a-f:.]+$/.test(name);
  return name.length > 0 && name.length <= 253 && name.split(".").every((l) => LABEL.test(l));
}
function parseHostPattern(pattern) {
  let rest = pattern.trim().toLowerCase();
  let port;
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(rest);
  if (m) {
    rest = m[1] ?? "";
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`gateway: bad port in host pattern '${pattern}'`);
  }
  const wildcard = rest.startsWith("*.");
  const name = normalizeHost(wildcard ? rest.slice(2) : rest);
  if (!validName(name) || wildcard && !name.includes(".")) {
    throw new Error(`gateway: bad host pattern '${pattern}' (use host, *.suffix, optional :port)`);
  }
  return { host: wildcard ? `.${name}` : name, wildcard, port };
}
var Allowlist = class {
  patterns;
  constructor(patterns) {
    this.patterns = patterns.map(parseHostPattern);
  }
  allows(host, port) {
    const h = normalizeHost(host);
    return this.patterns.some((p) => {
      const portOk = p.port === void 0 ? port === 443 || port === 80 : port === p.port;
      if (!portOk) return false;
      return p.wildcard ? h.endsWith(p.host) && h.length > p.host.length : h === p.host;
    });
  }
};

// src/gateway/presets.ts
var MODEL_PRESETS = {
  anthropic: ["api.anthropic.com"],
  openai: ["api.openai.com"],
  gemini: ["generativelanguage.googleapis.com"],
  github: ["github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com", "raw.githubusercontent.com"]
};
var PROVIDER_PRESETS = ["web-search", "web-fetch"];
var PRESETS = {
  ...MODEL_PRESETS,
  packages: [],
  "web-search": [],
  "web-fetch": []
};
function expandPresets(allow, presets = PRESETS) {
  const out = [];
  for (const entry of allow) {
    if (!entry.startsWith("preset:")) {
      out.push(entry);
      continue;
    }
    const name = entry.slice("preset:".length);
    const hosts = presets[name];
    if (!hosts) throw new Error(`gateway: unknown host preset '${name}' (known: ${Object.keys(presets).join(", ")})`);
    out.push(...hosts);
  }
  return out;
}

// src/gateway/provider-egress.ts
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var WEB_SEARCH_PRESET = "preset:web-search";
var WEB_FETCH_PRESET = "preset:web-fetch";
var ANTHROPIC_CLIENT = /^(?:bash|text_editor|computer|memory)_\d{8}$/;
var ANTHROPIC_OFFLINE = /^(?:code_execution|tool_search_tool_(?:regex|bm25)|advisor)_\d{8}$/;
var OPENAI_CLIENT = /* @__PURE__ */ new Set(["function", "custom", "local_shell", "shell", "apply_patch", "computer_use_preview", "computer"]);
var OPENAI_OFFLINE = /* @__PURE__ */ new Set(["code_interpreter", "file_search", "image_generation", "tool_search"]);
var GEMINI_OFFLINE = /* @__PURE__ */ new Set(["functionDeclarations", "codeExecution", "fileSearch", "computerUse"]);
var GEMINI_SEARCH = /* @__PURE__ */ new Set(["googleSearch", "googleSearchRetrieval", "enterpriseWebSearch", "googleMaps"]);
var GEMINI_FETCH = /* @__PURE__ */ new Set(["urlContext"]);
var camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
var needSearch = (what) => `${what} (the provider searches the web with what the request says; allow ${WEB_SEARCH_PRESET} in limits.network)`;
var needFetch = (what) => `${what} (the provider fetches any URL it is given; allow ${WEB_FETCH_PRESET} in limits.network)`;
var unknownTool = (what) => `${what} (a provider tool the gateway does not know, which may reach the network)`;
function providerEgress(provider, path, body, reach) {
  const out = { refused: [] };
  if (!body) return out;
  if (provider === "anthropic") anthropic(body, reach, out);
  else if (provider === "openai") openai(path, body, reach, out);
  else gemini(body, reach, out);
  out.refused = [...new Set(out.refused)];
  return out;
}
function urlRefusal(what, url, reach) {
  if (typeof url !== "string") return `${what} without a URL the gateway can check`;
  if (/^data:/i.test(url.trim())) return void 0;
  let u;
  try {
    u = new URL(url);
  } catch {
    return `${what}: not a URL the gateway can check`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return `${what}: ${u.protocol} URLs are not passed`;
  const port = Number(u.port) || (u.protocol === "https:" ? 443 : 80);
  if (reach.allowlist.allows(u.hostname, port)) return void 0;
  return `${what} at ${u.hostname}:${port} (the provider would connect there; the host is not on this agent's limits.network allow list)`;
}
function contentUrls(value, out, depth = 0) {
  if (depth > 64) {
    out.push({ what: "content nested too deep to check", url: void 0 });
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) contentUrls(v, out, depth + 1);
    return;
  }
  if (!isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "input" && (value.type === "tool_use" || value.type === "server_tool_use")) continue;
    if (key === "args" || key === "arguments" || key === "parameters" || key === "input_schema") continue;
    if (key === "source" && isObj(v) && v.type === "url") out.push({ what: "a URL source", url: v.url });
    else if (key === "image_url" && (typeof v === "string" || isObj(v))) out.push({ what: "an image URL", url: typeof v === "string" ? v : v.url });
    else if (key === "file_url" && typeof v === "string") out.push({ what: "a file URL", url: v });
    else if ((key === "fileData" || key === "file_data") && isObj(v)) out.push({ what: "a file URI", url: v.fileUri ?? v.file_uri });
    else contentUrls(v, out, depth + 1);
  }
}
function checkContent(parts, reach, out) {
  const urls = [];
  for (const p of parts) contentUrls(p, urls);
  for (const { what, url } of urls) {
    const why = url === void 0 && what.startsWith("content nested") ? what : urlRefusal(what, url, reach);
    if (why) out.refused.push(why);
  }
}
function anthropic(body, reach, out) {
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t)) continue;
    const type = t.type;
    if (type === void 0 || type === "custom" || type === "mcp_toolset") continue;
    const name = String(type);
    if (ANTHROPIC_CLIENT.test(name) || ANTHROPIC_OFFLINE.test(name)) continue;
    if (/^web_search_\d{8}$/.test(name)) {
      if (!reach.search) out.refused.push(needSearch(name));
    } else if (/^web_fetch_\d{8}$/.test(name)) {
      if (!reach.fetch) out.refused.push(needFetch(name));
    } else out.refused.push(unknownTool(name));
  }
  for (const s of Array.isArray(body.mcp_servers) ? body.mcp_servers : []) {
    const why = urlRefusal("an MCP server", isObj(s) ? s.url : void 0, reach);
    if (why) out.refused.push(why);
  }
  checkContent([body.system, body.messages], reach, out);
}
function openai(path, body, reach, out) {
  if (/\/chat\/completions$/.test(path)) {
    if (body.web_search_options !== void 0 || /search/i.test(String(body.model ?? ""))) {
      if (!(reach.search && reach.fetch)) out.refused.push(reach.search ? needFetch("web search of a Chat Completions search model") : needSearch("web search of a Chat Completions search model"));
    }
    for (const t of Array.isArray(body.tools) ? body.tools : []) {
      if (isObj(t) && t.type !== "function" && t.type !== "custom") out.refused.push(unknownTool(String(t.type)));
    }
    checkContent([body.messages], reach, out);
    return;
  }
  if (body.prompt !== void 0 && body.prompt !== null) out.refused.push("a stored prompt (its tools are not visible to the gateway)");
  let rewritten = false;
  const walk = (tools2) => {
    if (!Array.isArray(tools2)) return tools2;
    return tools2.map((t) => {
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
          rewritten = true;
          return { ...t, external_web_access: false };
        }
        return t;
      }
      if (type === "mcp") {
        const why = t.server_url === void 0 && t.connector_id !== void 0 ? "an OpenAI connector (the provider connects to a service for the request)" : urlRefusal("an MCP server", t.server_url, reach);
        if (why) out.refused.push(why);
        return t;
      }
      out.refused.push(unknownTool(type));
      return t;
    });
  };
  const tools = walk(body.tools);
  const input = Array.isArray(body.input) ? body.input.map((item) => isObj(item) && item.type === "additional_tools" ? { ...item, tools: walk(item.tools) } : item) : body.input;
  checkContent([body.instructions, body.input], reach, out);
  if (rewritten && out.refused.length === 0) out.body = { ...body, ...body.tools !== void 0 ? { tools } : {}, ...body.input !== void 0 ? { input } : {} };
}
function gemini(body, reach, out) {
  if (body.cachedContent !== void 0 || body.cached_content !== void 0) out.refused.push("a cachedContent (its tools are not visible to the gateway)");
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

export {
  normalizeHost,
  parseHostPattern,
  Allowlist,
  PROVIDER_PRESETS,
  PRESETS,
  expandPresets,
  WEB_SEARCH_PRESET,
  WEB_FETCH_PRESET,
  providerEgress
};
