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
var PRESETS = {
  ...MODEL_PRESETS,
  packages: []
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

export {
  normalizeHost,
  parseHostPattern,
  Allowlist,
  PRESETS,
  expandPresets
};
