/** The runtime adapters by name. */
import type { RuntimeName } from "../crew/types.js";
import { claudeAdapter } from "./claude.js";
import { codexAdapter } from "./codex.js";
import { commandAdapter } from "./command.js";
import { geminiAdapter } from "./gemini.js";
import type { RuntimeAdapter } from "./types.js";

const ADAPTERS: Record<RuntimeName, RuntimeAdapter> = {
  claude: claudeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
  command: commandAdapter,
};

export function adapterFor(runtime: RuntimeName): RuntimeAdapter {
  return ADAPTERS[runtime];
}

export type { RuntimeAdapter } from "./types.js";
