/**
 * What `preset:packages` opens on this machine, for `validate` and
 * `dry-run`: the registries the host's package tools are configured with
 * (src/gateway/registry-hosts.ts), plus GITCREW_PRESET_PACKAGES. Resolved
 * only when an agent names the preset (asking npm and pip takes seconds).
 */
import { packageRegistryHosts, type RegistryHosts } from "../gateway/registry-hosts.js";

export const PACKAGES_PRESET = "preset:packages";

export interface PackagesPreset {
  hosts: string[];
  sources: { tool: string; hosts: string[] }[];
}

export async function packagesPreset(env: NodeJS.ProcessEnv): Promise<PackagesPreset> {
  const found: RegistryHosts = await packageRegistryHosts({ env });
  const extra = (env.GITCREW_PRESET_PACKAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const sources: PackagesPreset["sources"] = [...found.sources, ...(extra.length ? [{ tool: "GITCREW_PRESET_PACKAGES", hosts: extra }] : [])];
  return { hosts: [...new Set([...found.hosts, ...extra])].sort(), sources };
}

/** One line: `preset:packages on this machine: host:443 (npm), … ` or that it opens nothing. */
export function packagesPresetLine(p: PackagesPreset): string {
  const where = "from this host's npm, pip, apt, cargo and Go configuration; see docs/gateway.md";
  if (p.hosts.length === 0) return `${PACKAGES_PRESET} opens nothing on this machine (${where})`;
  return `${PACKAGES_PRESET} on this machine: ${p.sources.map((s) => `${s.hosts.join(", ")} (${s.tool})`).join("; ")} (${where})`;
}
