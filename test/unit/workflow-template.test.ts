/** The workflow `gitcrew init` writes: where its concurrency group sits decides which events wait or get dropped. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const TEMPLATE = join(import.meta.dirname, "../../templates/workflows/gitcrew.yml");

interface Workflow {
  concurrency?: unknown;
  jobs: Record<string, { if?: string; concurrency?: { group: string; "cancel-in-progress": boolean } }>;
}

describe("templates/workflows/gitcrew.yml", () => {
  const text = readFileSync(TEMPLATE, "utf8");
  const wf = parse(text) as Workflow;

  it("puts the per-thread concurrency group on the job, after its if:, never on the workflow", () => {
    // A workflow-level group is entered before the job's if: is evaluated, so skipped events
    // (gitcrew's own comments with an App token) would still take the one pending slot.
    expect(wf.concurrency).toBeUndefined();
    const crew = wf.jobs.crew;
    expect(crew?.if).toContain("contains(github.event.comment.body, '@')");
    expect(crew?.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(crew?.concurrency?.group).toContain("github.event.issue.number || github.event.pull_request.number");
    // `/cancel` must not queue behind the run it stops.
    expect(crew?.concurrency?.group).toContain("startsWith(github.event.comment.body, '/cancel')) && github.run_id");
    expect(Object.keys(crew ?? {}).indexOf("if")).toBeLessThan(Object.keys(crew ?? {}).indexOf("concurrency"));
  });
});
