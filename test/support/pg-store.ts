/**
 * PostgreSQL for the store tests: the server that scripts/ci/start-postgres.sh
 * starts, reached through GITCREW_TEST_PG_URL. Each caller gets its own schema
 * so that test files never see each other's rows. Unreachable = a failure.
 */
import pg from "pg";
import { randomBytes } from "node:crypto";

export const TEST_PG_URL = process.env.GITCREW_TEST_PG_URL || "postgres://gitcrew:gitcrew@127.0.0.1:54329/gitcrew";

/** Schemas of this test run start with this (the global setup drops them at the end). */
export function runSchemaPrefix(): string {
  return `t_${process.env.GITCREW_TEST_RUN ?? "x"}_`;
}

/** A URL whose connections use a new, empty schema. */
export async function freshPgUrl(label: string): Promise<string> {
  const schema = `${runSchemaPrefix()}${label.replace(/[^a-z0-9]/gi, "_").toLowerCase().slice(0, 32)}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_PG_URL} (${(err as Error).message}). Run scripts/ci/start-postgres.sh, or set GITCREW_TEST_PG_URL.`,
    );
  }
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
