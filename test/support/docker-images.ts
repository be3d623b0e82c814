/**
 * ensureImages(): the offline runtime images, built once and reused. Safe to
 * call from several test files at once (a lock folder serialises builds).
 * Tests never skip for a missing image: they build it.
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuntimeName } from "../../src/crew/types.js";
import { buildImages } from "../../src/runner/images/index.js";

const LOCK = join(tmpdir(), "gitcrew-images.lock");
const STALE_MS = 20 * 60 * 1000;

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test process is building; a lock older than a build is left over from a crash.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Lock vanished meanwhile: retry.
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const done = new Set<RuntimeName>();

export async function ensureImages(runtimes: RuntimeName[] = ["command"]): Promise<void> {
  const missing = runtimes.filter((r) => !done.has(r));
  if (missing.length === 0) return;
  await withLock(async () => {
    const outcomes = await buildImages({ runtimes: missing, offline: true, log: () => undefined });
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length > 0) throw new Error(`could not build ${failed.map((f) => `${f.image}: ${f.error ?? ""}`).join("; ")}`);
  });
  for (const r of missing) done.add(r);
}
