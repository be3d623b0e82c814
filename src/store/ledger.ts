/**
 * The gateway's budget ledger kept in the store: spend per agent per day and
 * per thread holds across runs, restarts and every `serve` instance on one
 * PostgreSQL (or one SQLite file).
 */
import type { BudgetLedger, Spend } from "../gateway/budget.js";
import type { Store } from "./types.js";

export class StoreLedger implements BudgetLedger {
  constructor(
    private readonly store: Pick<Store, "spent" | "addSpend">,
    private readonly now: () => number = Date.now,
  ) {}

  spent(key: string): Promise<Spend> {
    return this.store.spent(key);
  }

  add(key: string, spend: Spend): Promise<void> {
    return this.store.addSpend(key, spend, this.now());
  }
}
