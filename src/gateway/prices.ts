/**
 * Cost of a model request in USD, from @pydantic/genai-prices (a maintained
 * price database; its data ships inside the pinned package, so no lookup
 * goes out). Overrides per model id come first. Unknown model: null.
 */
import { calcPrice } from "@pydantic/genai-prices";
import type { ProviderName, Tokens } from "./types.js";

/** USD per million tokens. */
export interface ModelPrice {
  inputMtok: number;
  outputMtok: number;
  cacheReadMtok?: number;
  cacheWriteMtok?: number;
}

const PROVIDER_IDS: Record<ProviderName, string> = { anthropic: "anthropic", openai: "openai", gemini: "google" };

export class PriceBook {
  private readonly cache = new Map<string, ModelPrice | null>();

  constructor(private readonly overrides: Record<string, ModelPrice> = {}) {}

  /** This book with more overrides over its own (a crew's `prices` for its runs). */
  with(overrides: Record<string, ModelPrice> | undefined): PriceBook {
    return overrides && Object.keys(overrides).length ? new PriceBook({ ...this.overrides, ...overrides }) : this;
  }

  /** Base (untiered) prices of a model, or null when unknown. */
  priceOf(provider: ProviderName, model: string): ModelPrice | null {
    const key = `${provider}\0${model}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const found = this.overrides[model] ?? this.lookup(provider, model);
    this.cache.set(key, found);
    return found;
  }

  /** Cost of one request's tokens; tiered prices (long contexts) are applied by the database. */
  cost(provider: ProviderName, model: string, t: Tokens): number | null {
    const own = this.overrides[model];
    if (own) {
      return (
        (t.input * own.inputMtok +
          t.output * own.outputMtok +
          t.cacheRead * (own.cacheReadMtok ?? own.inputMtok) +
          t.cacheWrite * (own.cacheWriteMtok ?? own.inputMtok)) /
        1e6
      );
    }
    // The database counts cache tokens as part of input_tokens.
    const r = safeCalc(
      { input_tokens: t.input + t.cacheRead + t.cacheWrite, output_tokens: t.output, cache_read_tokens: t.cacheRead, cache_write_tokens: t.cacheWrite },
      model,
      PROVIDER_IDS[provider],
    );
    return r ? r.total_price : null;
  }

  private lookup(provider: ProviderName, model: string): ModelPrice | null {
    // Priced at 100k tokens, under the long-context tiers, then scaled to a million.
    const N = 100_000;
    const perM = (usage: Record<string, number>): number | null => {
      const r = safeCalc(usage, model, PROVIDER_IDS[provider]);
      return r ? (r.total_price * 1e6) / N : null;
    };
    const input = perM({ input_tokens: N, output_tokens: 0 });
    const output = perM({ input_tokens: 0, output_tokens: N });
    if (input === null || output === null) return null;
    return {
      inputMtok: input,
      outputMtok: output,
      cacheReadMtok: perM({ input_tokens: N, cache_read_tokens: N, output_tokens: 0 }) ?? input,
      cacheWriteMtok: perM({ input_tokens: N, cache_write_tokens: N, output_tokens: 0 }) ?? input,
    };
  }
}

function safeCalc(usage: Record<string, number>, model: string, providerId: string): ReturnType<typeof calcPrice> {
  try {
    return calcPrice(usage, model, { providerId });
  } catch {
    return null;
  }
}
