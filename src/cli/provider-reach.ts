/**
 * What the model provider may reach on an agent's behalf (src/gateway/
 * provider-egress.ts), for `validate` and `dry-run`: its web search with
 * `preset:web-search`, its URL fetching with `preset:web-fetch`, nothing
 * otherwise. MCP servers and URL inputs follow the agent's host list.
 */
import { WEB_FETCH_PRESET, WEB_SEARCH_PRESET } from "../gateway/provider-egress.js";

export interface ProviderWeb {
  search: boolean;
  fetch: boolean;
}

/** Undefined for an agent off the gateway (`none`: no network; `egress`: its provider tools are not checked). */
export function providerWeb(network: "none" | "egress" | { allow: string[] }): ProviderWeb | undefined {
  if (typeof network !== "object") return undefined;
  return { search: network.allow.includes(WEB_SEARCH_PRESET), fetch: network.allow.includes(WEB_FETCH_PRESET) };
}

/** `dev: the model provider may search the web for it (preset:web-search), not fetch URLs (preset:web-fetch)`. */
export function providerWebLine(agent: string, web: ProviderWeb): string {
  const can = [web.search && `search the web (${WEB_SEARCH_PRESET})`, web.fetch && `fetch any URL (${WEB_FETCH_PRESET})`].filter(Boolean);
  const cannot = [!web.search && `search (${WEB_SEARCH_PRESET})`, !web.fetch && `fetch URLs (${WEB_FETCH_PRESET})`].filter(Boolean);
  if (can.length === 0) return `${agent}: the model provider neither searches nor fetches the web for it (allow ${WEB_SEARCH_PRESET} or ${WEB_FETCH_PRESET} to let it)`;
  return `${agent}: the model provider may ${can.join(" and ")} for it${cannot.length ? `, not ${cannot.join(" or ")}` : ""}`;
}
