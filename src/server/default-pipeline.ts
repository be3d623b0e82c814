/**
 * The pipeline `gitcrew serve` uses: normalize → load crew → plan → runner.
 * Placeholder until the core is wired in (lead's task): deliveries are stored
 * and answered 202, then marked failed with a clear reason; /readyz says why.
 */
import type { PipelineFactory } from "./pipeline.js";

const NOT_WIRED = "the run pipeline (normalize → crew → plan → runner) is not wired into gitcrew serve yet";

export const createDefaultPipeline: PipelineFactory = async () => ({
  handler: {
    async plan() {
      throw new Error(NOT_WIRED);
    },
  },
  executor: {
    async execute() {
      return { status: "failed", error: NOT_WIRED };
    },
  },
  readiness: () => ({ ready: false, reason: NOT_WIRED }),
});
