/**
 * Text a backend stores compressed (webhook payloads, ~12 KB of JSON each),
 * each in its own way: SQLite as a brotli BLOB, compressed here (quality 1:
 * ~45 µs for 12 KB → ~2 KB; the commit then writes and syncs a sixth of the
 * bytes, bench/RESULTS.md), PostgreSQL as TEXT it compresses itself (lz4,
 * schema.ts). Rows written before are TEXT and read as they are.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import type { SqlValue } from "./db.js";

/** Brotli quality for SQLite (also used, as a number, by the store's thread). */
export const BROTLI_QUALITY = 1;

function brotli(text: string): Buffer {
  return brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
}

/** A stored value as text: TEXT as it is, a compressed BLOB decompressed. */
export function storedText(value: unknown): string {
  return Buffer.isBuffer(value) ? brotliDecompressSync(value).toString("utf8") : String(value);
}

/** Parameters as SQLite binds them: compressed text becomes its brotli BLOB. */
export function sqliteParams(params: SqlValue[]): (string | number | null | Buffer)[] {
  return params.map((p) => (p !== null && typeof p === "object" ? brotli(p.compressed) : p));
}

/** Parameters as PostgreSQL takes them: compressed text is plain TEXT (PostgreSQL compresses it). */
export function postgresParams(params: SqlValue[]): (string | number | null)[] {
  return params.map((p) => (p !== null && typeof p === "object" ? p.compressed : p));
}
