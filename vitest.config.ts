import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Docker-backed suites share one engine on a 2-core machine.
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
