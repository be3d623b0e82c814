/** The runner's id for one attempt of a queued run (its records allow `[A-Za-z0-9._-]`). */
export function runnerRunId(id: string, attempt: number): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 180);
  return attempt > 1 ? `${safe}.attempt${attempt}` : safe;
}
