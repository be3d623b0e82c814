/**
 * Tools the provider runs itself (server tools) and what they cost beyond
 * tokens. A request declares them; the answer reports their use. Three are
 * metered: Anthropic's web search (`web_search_*`: Claude Code's WebSearch),
 * OpenAI's Responses `web_search` (Codex's) and Gemini's grounding with
 * Google Search (Gemini CLI's google_web_search). Tools that cost nothing
 * beyond the tokens they add (Anthropic's web fetch, Gemini's URL context
 * and code execution) pass the budget. Whether a search or fetch may leave
 * at all is provider-egress.ts's rule (the run's allowlist), checked first. Every other tool the provider runs (code
 * execution containers, file search, image generation, remote MCP on
 * OpenAI, Maps grounding, stored prompts and cached contents whose tools
 * are not visible, Chat Completions search models, a tool type this module
 * does not know) is not metered: under a budget
 * the request is refused before it leaves.
 *
 * Prices (USD, the providers' published pricing):
 * - Anthropic web search: $10 per 1,000 searches, reported as
 *   `usage.server_tool_use.web_search_requests`.
 * - OpenAI web search: $10 per 1,000 calls for `web_search`, $25 for
 *   `web_search_preview` with non-reasoning models (charged $25 for every
 *   preview call here); one call per `web_search_call` output item whose
 *   action is a search (`open_page` and `find_in_page` are not charged).
 * - Gemini grounding with Google Search: Gemini 2.x and older $35 per 1,000
 *   grounded prompts; Gemini 3 and later $14 per 1,000 search queries (the
 *   distinct non-empty `groundingMetadata.webSearchQueries`). The free
 *   daily or monthly allowances are the operator's account's, shared with
 *   everything else: the gateway charges every use.
 */
import type { ProviderName } from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export type FeeUnit = "search" | "grounded_prompt" | "search_query";

/** The metered server tool a request declares. */
export interface ToolFee {
  /** What the agent sees in a refusal, e.g. `web_search_20250305`. */
  tool: string;
  unit: FeeUnit;
  usdPerUse: number;
  /** Uses the request allows (`max_uses`, `max_tool_calls`; one grounded prompt); undefined: no bound in the request. */
  maxUses: number | undefined;
  /** Whether the gateway can set that bound in the request (Anthropic's `max_uses`, OpenAI's `max_tool_calls`). */
  clampable: boolean;
}

export interface DeclaredTools {
  fee: ToolFee | undefined;
  /** Server tools (or request fields) whose cost the gateway cannot read from the answer. */
  unmetered: string[];
}

/** Uses reserved for a tool whose request sets no bound the gateway can clamp (Gemini 3's search queries). */
export const ASSUMED_USES = 10;
/** The bound the gateway sets when a request under a USD budget has none. */
export const DEFAULT_MAX_USES = 10;

const ANTHROPIC_SEARCH = 10 / 1000;
const OPENAI_SEARCH = 10 / 1000;
const OPENAI_SEARCH_PREVIEW = 25 / 1000;
const GEMINI_GROUNDED_PROMPT = 35 / 1000;
const GEMINI_SEARCH_QUERY = 14 / 1000;

/** Anthropic tools the client runs (schema by Anthropic, executed by the CLI): no fee. */
const ANTHROPIC_CLIENT = /^(?:bash|text_editor|computer|memory)_\d{8}$/;
/** OpenAI tool types the client runs. */
const OPENAI_CLIENT = new Set(["function", "custom", "local_shell", "shell", "apply_patch", "computer_use_preview", "computer"]);
/** Gemini tool keys that cost only their tokens. */
const GEMINI_FREE = new Set(["functionDeclarations", "urlContext", "codeExecution"]);
const GEMINI_SEARCH = new Set(["googleSearch", "googleSearchRetrieval"]);

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);
const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Gemini bills grounding per prompt up to the 2.x models, per search query from Gemini 3 on. */
export function geminiPerPrompt(model: string): boolean {
  return /^(?:models\/)?gemini-(?:1|2)(?:\.|-)/.test(model);
}

/** The price of one use of a provider's metered search for a model. */
export function searchPrice(provider: ProviderName, model: string, preview = false): { unit: FeeUnit; usdPerUse: number } {
  if (provider === "anthropic") return { unit: "search", usdPerUse: ANTHROPIC_SEARCH };
  if (provider === "openai") return { unit: "search", usdPerUse: preview ? OPENAI_SEARCH_PREVIEW : OPENAI_SEARCH };
  return geminiPerPrompt(model) ? { unit: "grounded_prompt", usdPerUse: GEMINI_GROUNDED_PROMPT } : { unit: "search_query", usdPerUse: GEMINI_SEARCH_QUERY };
}

export function declaredTools(provider: ProviderName, path: string, body: Obj | undefined, model: string): DeclaredTools {
  const out: DeclaredTools = { fee: undefined, unmetered: [] };
  if (!body) return out;
  if (provider === "anthropic") anthropicTools(body, out);
  else if (provider === "openai") openaiTools(path, body, model, out);
  else geminiTools(body, model, out);
  return out;
}

function anthropicTools(body: Obj, out: DeclaredTools): void {
  const searches: Obj[] = [];
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t)) continue;
    const type = t.type;
    if (type === undefined || type === "custom" || (typeof type === "string" && ANTHROPIC_CLIENT.test(type))) continue;
    if (typeof type === "string" && /^web_search_\d{8}$/.test(type)) searches.push(t);
    else if (typeof type === "string" && /^web_fetch_\d{8}$/.test(type)) continue;
    else out.unmetered.push(String(type));
  }
  // Each search tool has its own max_uses: one bound for the request needs one tool.
  if (searches.length > 1) out.unmetered.push("more than one web_search tool");
  const s = searches[0];
  if (s) out.fee = { tool: String(s.type), ...searchPrice("anthropic", ""), maxUses: num(s.max_uses), clampable: true };
}

function openaiTools(path: string, body: Obj, model: string, out: DeclaredTools): void {
  if (/\/chat\/completions$/.test(path)) {
    // Search models search on every request and report no count.
    if (body.web_search_options !== undefined || /search/i.test(model)) out.unmetered.push("web search of a Chat Completions search model");
    for (const t of Array.isArray(body.tools) ? body.tools : []) {
      if (isObj(t) && t.type !== "function" && t.type !== "custom") out.unmetered.push(String(t.type));
    }
    return;
  }
  if (!/\/responses$/.test(path)) return;
  // A stored prompt may declare tools the gateway never sees.
  if (body.prompt !== undefined && body.prompt !== null) out.unmetered.push("prompt (a stored prompt's tools are not visible to the gateway)");
  let search: string | undefined;
  let preview = false;
  const walk = (tools: unknown): void => {
    for (const t of Array.isArray(tools) ? tools : []) {
      if (!isObj(t)) continue;
      const type = String(t.type);
      if (type === "namespace") walk(t.tools);
      else if (OPENAI_CLIENT.has(type)) continue;
      else if (/^web_search(?:_preview)?(?:_\d{4}_\d{2}_\d{2})?$/.test(type)) {
        search ??= type;
        preview ||= type.includes("preview");
      } else out.unmetered.push(type);
    }
  };
  walk(body.tools);
  // Codex declares its tools in an input item as well as (or instead of) `tools`.
  for (const item of Array.isArray(body.input) ? body.input : []) {
    if (isObj(item) && item.type === "additional_tools") walk(item.tools);
  }
  if (search) out.fee = { tool: search, ...searchPrice("openai", model, preview), maxUses: num(body.max_tool_calls), clampable: true };
}

function geminiTools(body: Obj, model: string, out: DeclaredTools): void {
  // A cached content may hold tools the gateway never sees, like OpenAI's stored prompts.
  if (body.cachedContent !== undefined || body.cached_content !== undefined) out.unmetered.push("cachedContent (its tools are not visible to the gateway)");
  let search: string | undefined;
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObj(t)) continue;
    for (const key of Object.keys(t)) {
      const k = camel(key);
      if (GEMINI_FREE.has(k)) continue;
      if (GEMINI_SEARCH.has(k)) search ??= key;
      else out.unmetered.push(key);
    }
  }
  if (!search) return;
  const price = searchPrice("gemini", model);
  out.fee = { tool: search, ...price, maxUses: price.unit === "grounded_prompt" ? 1 : undefined, clampable: false };
}

/** Sets the request's bound on the metered tool's uses; returns the body to send. */
export function clampToolUses(provider: ProviderName, body: Obj, uses: number): Obj {
  if (provider === "anthropic") {
    const tools = Array.isArray(body.tools) ? body.tools : [];
    return {
      ...body,
      tools: tools.map((t: unknown) =>
        isObj(t) && typeof t.type === "string" && /^web_search_\d{8}$/.test(t.type) ? { ...t, max_uses: Math.min(num(t.max_uses) ?? uses, uses) } : t,
      ),
    };
  }
  if (provider === "openai") return { ...body, max_tool_calls: Math.min(num(body.max_tool_calls) ?? uses, uses) };
  return body;
}

/** What the answer reported, as the meter counted it. */
export interface ToolCounts {
  webSearches: number;
  grounded: boolean;
  searchQueries: number;
}

/**
 * The fee for one answer. A search the answer reports is charged at the
 * provider's price even if the request did not declare it (a stored prompt,
 * a provider default). A Gemini 2.x request that declared search and whose
 * answer was cut before its end is charged its grounded prompt.
 */
export function feeOf(provider: ProviderName, model: string, fee: ToolFee | undefined, counts: ToolCounts, complete: boolean): { uses: number; usd: number } {
  const price = fee ?? searchPrice(provider, model);
  let uses: number;
  if (price.unit === "search") uses = counts.webSearches;
  else if (price.unit === "grounded_prompt") uses = counts.grounded || (fee !== undefined && !complete) ? 1 : 0;
  else uses = counts.searchQueries;
  return { uses, usd: uses * price.usdPerUse };
}
