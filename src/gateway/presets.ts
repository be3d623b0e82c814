/**
 * Named host lists an agent can allow with `preset:NAME` instead of
 * collecting host names. One file so that a reviewer sees every host a
 * preset opens.
 *
 * `packages` (the package registries of npm, pip, apt, cargo and Go) has no
 * list here: it is what the host's own package tools are configured to use,
 * read from their configuration where the gateway runs
 * (registry-hosts.ts; the runner's gateway expands it per run), or what a
 * caller passes in `GatewayOptions.presets`.
 */

export const MODEL_PRESETS: Record<string, string[]> = {
  anthropic: ["api.anthropic.com"],
  openai: ["api.openai.com"],
  gemini: ["generativelanguage.googleapis.com"],
  github: ["github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com", "raw.githubusercontent.com"],
};

/**
 * `web-search` and `web-fetch` open no host to the container: they let the
 * model provider search the web, and fetch URLs, on the agent's behalf
 * (provider-egress.ts). Without them a request declaring such a tool is refused.
 */
export const PROVIDER_PRESETS = ["web-search", "web-fetch"] as const;

export const PRESETS: Record<string, string[]> = {
  ...MODEL_PRESETS,
  packages: [],
  "web-search": [],
  "web-fetch": [],
};

/** Expands `preset:NAME` entries; an unknown preset is an error (a typo must not open nothing silently). */
export function expandPresets(allow: string[], presets: Record<string, string[]> = PRESETS): string[] {
  const out: string[] = [];
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
