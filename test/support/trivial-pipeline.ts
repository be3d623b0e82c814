/**
 * A pipeline for server tests: issue comments plan one `dev` run per thread;
 * the body `/cancel` cancels the thread; the executor waits `ms` from the
 * comment (`sleep:NNN`, or `sleepfirst:NNN` on the first attempt only), fails as infrastructure on `flaky`, and honours abort.
 */
import { EnvironmentError } from "../../src/util/errors.js";
import type { Pipeline, Readiness } from "../../src/server/pipeline.js";
import type { RunRecord } from "../../src/store/types.js";

export interface TrivialPlan {
  body: string;
}

export interface Recorder {
  started: string[];
  finished: string[];
  /** Largest number of runs executing at the same time. */
  maxParallel: number;
  ready: Readiness;
}

export function trivialPipeline(
  recorder: Recorder = { started: [], finished: [], maxParallel: 0, ready: { ready: true } },
  instance = "test",
): Pipeline & { recorder: Recorder } {
  let parallel = 0;
  const attempts = new Map<string, number>();
  return {
    recorder,
    readiness: () => recorder.ready,
    handler: {
      async plan(delivery) {
        const p = JSON.parse(delivery.payload) as { issue?: { number: number }; comment?: { body: string }; repository?: { full_name: string } };
        if (delivery.event !== "issue_comment" || !p.issue || !p.comment) return { runs: [], ignored: `${delivery.event} is not for this test` };
        const threadKey = `${p.repository?.full_name ?? "?"}#${p.issue.number}`;
        if (p.comment.body.trim() === "/cancel") return { runs: [], cancelThreads: [threadKey] };
        return { runs: [{ agent: "dev", threadKey, agentLimit: 8, plan: { body: p.comment.body } satisfies TrivialPlan }] };
      },
    },
    executor: {
      async execute(run: RunRecord, ctx) {
        const body = (run.plan as TrivialPlan).body;
        await ctx.started({ containerId: `c-${run.id}`, sessionId: `s-${run.id}` });
        recorder.started.push(run.id);
        parallel++;
        recorder.maxParallel = Math.max(recorder.maxParallel, parallel);
        try {
          ctx.log(instance === "test" ? `hello from ${run.id}\n` : `hello from ${run.id} on ${instance} (attempt ${run.attempt})\n`);
          // `sleepfirst:` sleeps on the first attempt only, so that a retried run can finish.
          const first = /sleepfirst:(\d+)/.exec(body)?.[1];
          const ms = Number(/sleep:(\d+)/.exec(body)?.[1] ?? (run.attempt === 1 ? first : undefined) ?? "0");
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
          });
          if (ctx.signal.aborted) return { status: "cancelled", error: "aborted" };
          const n = (attempts.get(run.id) ?? 0) + 1;
          attempts.set(run.id, n);
          if (body.includes("flaky") && n < 2) throw new EnvironmentError("docker engine is not answering");
          if (body.includes("broken")) return { status: "failed", error: "the agent exited 1" };
          return { status: "succeeded", sessionId: `s-${run.id}` };
        } finally {
          parallel--;
          recorder.finished.push(run.id);
        }
      },
    },
  };
}
