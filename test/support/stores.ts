/** The two store backends, for `describe.each`: every store test runs on both. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { freshPgUrl } from "./pg-store.js";

export interface Backend {
  name: string;
  /** A store spec (file path or URL) for a new, empty store. */
  fresh(label: string): Promise<string>;
}

export const BACKENDS: Backend[] = [
  { name: "sqlite", fresh: async () => join(mkdtempSync(join(tmpdir(), "gitcrew-store-")), "gitcrew.db") },
  { name: "postgres", fresh: (label) => freshPgUrl(label) },
];

export async function freshStore(backend: Backend, label: string): Promise<Store> {
  return openStore(await backend.fresh(label));
}
