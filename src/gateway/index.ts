export { Gateway, startGateway, DEFAULT_UPSTREAMS, type GatewayOptions, type RunHandle } from "./gateway.js";
export { newRunToken } from "./runs.js";
export { MemoryLedger, type BudgetLedger, type Spend } from "./budget.js";
export { PRESETS, expandPresets } from "./presets.js";
export { Allowlist, parseHostPattern } from "./hosts.js";
export type { ModelPrice } from "./prices.js";
export * from "./types.js";
