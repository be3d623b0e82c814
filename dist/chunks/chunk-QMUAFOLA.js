import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  packageRegistryHosts
} from "./chunk-EYNVMV6C.js";
import {
  WEB_FETCH_PRESET,
  WEB_SEARCH_PRESET
} from "./chunk-MAJZWNHV.js";

// src/cli/packages-preset.ts
var PACKAGES_PRESET = "preset:packages";
async function packagesPreset(env) {
  const found = await packageRegistryHosts({ env });
  const extra = (env.GITCREW_PRESET_PACKAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const sources = [...found.sources, ...extra.length ? [{ tool: "GITCREW_PRESET_PACKAGES", hosts: extra }] : []];
  return { hosts: [.../* @__PURE__ */ new Set([...found.hosts, ...extra])].sort(), sources };
}
function packagesPresetLine(p) {
  const where = "from this host's npm, pip, apt, cargo and Go configuration; see docs/gateway.md";
  if (p.hosts.length === 0) return `${PACKAGES_PRESET} opens nothing on this machine (${where})`;
  return `${PACKAGES_PRESET} on this machine: ${p.sources.map((s) => `${s.hosts.join(", ")} (${s.tool})`).join("; ")} (${where})`;
}

// src/cli/provider-reach.ts
function providerWeb(network) {
  if (typeof network !== "object") return void 0;
  return { search: network.allow.includes(WEB_SEARCH_PRESET), fetch: network.allow.includes(WEB_FETCH_PRESET) };
}
function providerWebLine(agent, web) {
  const can = [web.search && `search the web (${WEB_SEARCH_PRESET})`, web.fetch && `fetch any URL (${WEB_FETCH_PRESET})`].filter(Boolean);
  const cannot = [!web.search && `search (${WEB_SEARCH_PRESET})`, !web.fetch && `fetch URLs (${WEB_FETCH_PRESET})`].filter(Boolean);
  if (can.length === 0) return `${agent}: the model provider neither searches nor fetches the web for it (allow ${WEB_SEARCH_PRESET} or ${WEB_FETCH_PRESET} to let it)`;
  return `${agent}: the model provider may ${can.join(" and ")} for it${cannot.length ? `, not ${cannot.join(" or ")}` : ""}`;
}

export {
  PACKAGES_PRESET,
  packagesPreset,
  packagesPresetLine,
  providerWeb,
  providerWebLine
};
