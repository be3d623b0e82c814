/** The small decisions of the default pipeline: settings, repo specs, crew pushes, schedule keys, runner ids. */
import { describe, expect, it } from "vitest";
import type { Crew } from "../../src/crew/types.js";
import { runnerRunId, touchesCrew } from "../../src/server/default-pipeline.js";
import { webUrlOf } from "../../src/server/repo.js";
import { dueAt, scheduleDeliveryId } from "../../src/server/schedules.js";
import { readSettings } from "../../src/server/settings.js";
import { UsageError } from "../../src/util/errors.js";

const base = { repo: "acme/widgets", "webhook-secret": "s" };

describe("serve settings", () => {
  it("reads GitHub access from flags or the environment", () => {
    const fromEnv = readSettings(base, { GITHUB_TOKEN: "t", GITHUB_API_URL: "https://ghe.example/api/v3/" }, "");
    expect(fromEnv.github).toEqual({ token: "t", apiUrl: "https://ghe.example/api/v3" });
    const app = readSettings({ ...base, "app-id": "12", "private-key-file": "k.pem" }, {}, "");
    expect(app.github).toEqual({ appId: "12", privateKeyFile: "k.pem" });
    expect(app.crewRefreshSeconds).toBe(60);
  });

  it("refuses half an app and a non-URL API base", () => {
    expect(() => readSettings({ ...base, "app-id": "12" }, {}, "")).toThrow(UsageError);
    expect(() => readSettings({ ...base, "private-key-file": "k.pem" }, {}, "")).toThrow(/--app-id/);
    expect(() => readSettings({ ...base, "github-api-url": "ghe.example" }, {}, "")).toThrow(/http\(s\) URL/);
    expect(() => readSettings({ ...base, "crew-refresh": "1" }, {}, "")).toThrow(/from 5/);
  });

  it("keeps 30 days by default; --retain-days is 0 (keep all) or at least GitHub's 3-day redelivery window", () => {
    expect(readSettings(base, {}, "").retainDays).toBe(30);
    expect(readSettings(base, { GITCREW_RETAIN_DAYS: "0" }, "").retainDays).toBe(0);
    expect(readSettings({ ...base, "retain-days": "7" }, { GITCREW_RETAIN_DAYS: "90" }, "").retainDays).toBe(7);
    expect(() => readSettings({ ...base, "retain-days": "2" }, {}, "")).toThrow(/0 \(keep everything\) or at least 3, got 2: GitHub redelivers deliveries up to 3 days old/);
    expect(() => readSettings(base, { GITCREW_RETAIN_DAYS: "-1" }, "")).toThrow(/GITCREW_RETAIN_DAYS\) expects a whole number from 0 to 36500, got "-1"/);
    expect(() => readSettings({ ...base, "retain-days": "1e9" }, {}, "")).toThrow(UsageError);
  });
});

describe("default pipeline decisions", () => {
  it("maps API URLs to the web URL used for clones and links", () => {
    expect(webUrlOf(undefined)).toBe("https://github.com");
    expect(webUrlOf("https://api.github.com")).toBe("https://github.com");
    expect(webUrlOf("https://ghe.example/api/v3")).toBe("https://ghe.example");
  });

  it("reloads the crew only for pushes touching .gitcrew/ or CODEOWNERS, or listing no files", () => {
    expect(touchesCrew({ commits: [{ modified: ["src/a.ts"] }] })).toBe(false);
    expect(touchesCrew({ commits: [{ modified: ["src/a.ts"] }, { removed: [".gitcrew/agents/dev/agent.yaml"] }] })).toBe(true);
    expect(touchesCrew({ commits: [{ added: [".github/CODEOWNERS"] }] })).toBe(true);
    expect(touchesCrew({ commits: [] })).toBe(true);
  });

  it("gives the runner an id it accepts for every attempt", () => {
    expect(runnerRunId("0b1c-2d:dev", 1)).toBe("0b1c-2d_dev");
    expect(runnerRunId("0b1c-2d:dev~retry2", 3)).toBe("0b1c-2d_dev_retry2.attempt3");
    expect(runnerRunId("schedule-nightly-202611230600:nightly", 1)).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it("keys a schedule tick by agent and UTC minute, one per agent even when two of its crons match", () => {
    const crew = {
      agents: [
        { name: "nightly", triggers: { schedule: ["0 6 * * *", "*/5 * * * *"] } },
        { name: "weekly", triggers: { schedule: ["0 6 * * 0"] } },
        { name: "broken", triggers: { schedule: ["not a cron"] } },
      ],
    } as unknown as Crew;
    const at = new Date(Date.UTC(2026, 10, 23, 6, 0, 42)); // a Monday
    expect(dueAt(crew, at)).toEqual([{ agent: "nightly", cron: "0 6 * * *" }]);
    expect(scheduleDeliveryId("nightly", at)).toBe("schedule-nightly-202611230600");
  });
});
