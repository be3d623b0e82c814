/**
 * What the gateway needs to know about a model request before sending it:
 * whether it generates (and so is metered and held to the budget), which
 * model it names, and how to clamp its output length.
 */
import type { ProviderName } from "./types.js";

type Obj = Record<string, unknown>;

export interface ModelRequest {
  generates: boolean;
  model: string;
  /** The output cap the request asked for, if any. */
  requestedMax: number | undefined;
  stream: boolean;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function describe(provider: ProviderName, method: string, path: string, body: Obj | undefined): ModelRequest {
  const post = method === "POST";
  if (provider === "gemini") {
    const m = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
    const cfg = isObj(body?.generationConfig) ? body.generationConfig : undefined;
    return {
      generates: post && m !== null,
      model: m?.[1] ?? "",
      requestedMax: typeof cfg?.maxOutputTokens === "number" ? cfg.maxOutputTokens : undefined,
      stream: m?.[2] === "streamGenerateContent",
    };
  }
  const model = typeof body?.model === "string" ? body.model : "";
  const stream = body?.stream === true;
  if (provider === "anthropic") {
    return { generates: post && /\/messages$/.test(path), model, requestedMax: num(body?.max_tokens), stream };
  }
  const responses = /\/responses$/.test(path);
  const chat = /\/chat\/completions$/.test(path) || /\/completions$/.test(path);
  return {
    generates: post && (responses || chat),
    model,
    requestedMax: responses ? num(body?.max_output_tokens) : (num(body?.max_completion_tokens) ?? num(body?.max_tokens)),
    stream,
  };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Sets the output cap in the provider's field; returns the body to send. */
export function clampOutput(provider: ProviderName, path: string, body: Obj, max: number): Obj {
  if (provider === "anthropic") {
    const out: Obj = { ...body, max_tokens: max };
    // Extended thinking needs budget_tokens < max_tokens and at least 1024.
    const thinking = body.thinking;
    if (isObj(thinking) && typeof thinking.budget_tokens === "number" && thinking.budget_tokens >= max) {
      if (max > 1024) out.thinking = { ...thinking, budget_tokens: max - 1 };
      else delete out.thinking;
    }
    return out;
  }
  if (provider === "gemini") {
    const cfg = isObj(body.generationConfig) ? body.generationConfig : {};
    return { ...body, generationConfig: { ...cfg, maxOutputTokens: max } };
  }
  if (/\/responses$/.test(path)) return { ...body, max_output_tokens: max };
  if (body.max_tokens !== undefined && body.max_completion_tokens === undefined) return { ...body, max_tokens: max };
  return { ...body, max_completion_tokens: max };
}

/** Chat Completions streams carry usage only when asked for it. */
export function askForStreamUsage(provider: ProviderName, path: string, body: Obj): Obj {
  if (provider !== "openai" || body.stream !== true || !/\/chat\/completions$/.test(path)) return body;
  const opts = isObj(body.stream_options) ? body.stream_options : {};
  return { ...body, stream_options: { ...opts, include_usage: true } };
}
