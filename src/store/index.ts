/** Open the store named by `--store`: a `postgres://` URL, a SQLite file, or the default file. */
import { join, resolve } from "node:path";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { gitcrewHome } from "../util/home.js";
import { openPostgres } from "./postgres.js";
import { openSqlite } from "./sqlite.js";
import { SqlStore } from "./sql-store.js";
import type { Store } from "./types.js";

export type { Store } from "./types.js";

export { gitcrewHome };

export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(gitcrewHome(env), "gitcrew.db");
}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//.test(spec);
}

/** A description safe for logs (no password). */
export function describeStore(spec: string): string {
  return isPostgresUrl(spec) ? spec.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@") : spec;
}

export async function openStore(spec: string | undefined, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Store> {
  const target = spec || defaultStorePath(options.env);
  const store = isPostgresUrl(target) ? new SqlStore(openPostgres(target)) : new SqlStore(openSqlite(resolve(options.cwd ?? ".", target)));
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new EnvironmentError(
      `cannot open the store ${describeStore(target)}: ${errorMessage(err)}`,
      isPostgresUrl(target) ? "Check that PostgreSQL is running and the URL, user and password are right." : "Check that the file's folder is writable.",
    );
  }
  return store;
}
