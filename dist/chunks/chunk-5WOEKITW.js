import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  packageRegistryHosts
} from "./chunk-WC2SW5LZ.js";

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

export {
  PACKAGES_PRESET,
  packagesPreset,
  packagesPresetLine
};
