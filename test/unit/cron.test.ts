/** Cron as cron and GitHub's `schedule` read it: expressions with their next firing times (UTC), and what validate refuses. */
import { describe, expect, it } from "vitest";
import { cronMatches, describeFirings, nextFirings, parseCron } from "../../src/crew/cron.js";
import { dueAt } from "../../src/server/schedules.js";
import type { Crew } from "../../src/crew/types.js";

const next = (expr: string, from: string, n = 3) => nextFirings(parseCron(expr), new Date(from), n).map((d) => d.toISOString().slice(0, 16));

describe("cron expressions fire when cron says", () => {
  it.each([
    // Both days restricted: day-of-month OR day-of-week (2024-01-01 is a Monday).
    ["0 6 1 * 1", "2024-01-02T00:00Z", ["2024-01-08T06:00", "2024-01-15T06:00", "2024-01-22T06:00", "2024-01-29T06:00", "2024-02-01T06:00"]],
    ["30 12 13 * fri", "2024-01-01T00:00Z", ["2024-01-05T12:30", "2024-01-12T12:30", "2024-01-13T12:30"]],
    // Only one restricted: that one alone.
    ["0 0 15 * *", "2024-01-01T00:00Z", ["2024-01-15T00:00", "2024-02-15T00:00", "2024-03-15T00:00"]],
    ["0 0 * * 1", "2024-01-01T00:00Z", ["2024-01-08T00:00", "2024-01-15T00:00", "2024-01-22T00:00"]],
    // Ranges, steps, lists.
    ["*/15 9-10 * * *", "2024-01-01T09:40Z", ["2024-01-01T09:45", "2024-01-01T10:00", "2024-01-01T10:15"]],
    ["0 8-18/4 * * *", "2024-01-01T00:00Z", ["2024-01-01T08:00", "2024-01-01T12:00", "2024-01-01T16:00"]],
    ["5,35 */12 * * *", "2024-01-01T00:10Z", ["2024-01-01T00:35", "2024-01-01T12:05", "2024-01-01T12:35"]],
    // Names, and 7 as Sunday.
    ["0 0 * JAN,mar SUN", "2024-01-20T00:00Z", ["2024-01-21T00:00", "2024-01-28T00:00", "2024-03-03T00:00"]],
    ["0 0 * * 7", "2024-01-01T00:00Z", ["2024-01-07T00:00", "2024-01-14T00:00", "2024-01-21T00:00"]],
    ["0 0 * * 5-7", "2024-01-01T00:00Z", ["2024-01-05T00:00", "2024-01-06T00:00", "2024-01-07T00:00"]],
    ["0 0 * * mon-fri", "2024-01-05T12:00Z", ["2024-01-08T00:00", "2024-01-09T00:00", "2024-01-10T00:00"]],
    // Month ends and leap days.
    ["0 0 31 * *", "2024-01-31T12:00Z", ["2024-03-31T00:00", "2024-05-31T00:00", "2024-07-31T00:00"]],
    ["0 0 29 2 *", "2024-01-01T00:00Z", ["2024-02-29T00:00", "2028-02-29T00:00", "2032-02-29T00:00"]],
    ["59 23 28-31 2 *", "2023-02-01T00:00Z", ["2023-02-28T23:59", "2024-02-28T23:59", "2024-02-29T23:59"]],
  ])("%s after %s", (expr, from, expected) => {
    expect(next(expr, from, expected.length)).toEqual(expected);
  });

  it("a date that never comes fires never, and says so", () => {
    expect(next("0 0 31 2 *", "2024-01-01T00:00Z")).toEqual([]);
    expect(describeFirings("0 0 31 2 *", new Date("2024-01-01T00:00Z"))).toBe("never fires (no such date)");
    expect(describeFirings("0 6 1 * 1", new Date("2024-01-02T00:00Z"))).toBe("2024-01-08 06:00, 2024-01-15 06:00, 2024-01-22 06:00 UTC");
  });

  it("matches the whole UTC minute, whatever the seconds", () => {
    const c = parseCron("0 6 1 * 1");
    expect(cronMatches(c, new Date("2024-02-01T06:00:42Z"))).toBe(true); // a Thursday, the 1st
    expect(cronMatches(c, new Date("2024-02-05T06:00:00Z"))).toBe(true); // a Monday
    expect(cronMatches(c, new Date("2024-02-06T06:00:00Z"))).toBe(false);
  });

  it("the server's schedule queues an agent whose both-days expression is due (it never did with AND)", () => {
    const crew = { agents: [{ name: "report", triggers: { schedule: ["0 6 1 * 1"] } }] } as unknown as Crew;
    expect(dueAt(crew, new Date("2024-02-01T06:00:00Z"))).toEqual([{ agent: "report", cron: "0 6 1 * 1" }]);
    expect(dueAt(crew, new Date("2024-02-05T06:00:00Z"))).toEqual([{ agent: "report", cron: "0 6 1 * 1" }]);
  });
});

describe("validate refuses what is not a five-field expression, naming the field", () => {
  it.each([
    ["* * * *", 'cron "* * * *" must have 5 fields (minute hour day-of-month month day-of-week), has 4'],
    ["0 * * * * *", 'cron "0 * * * * *" must have 5 fields (minute hour day-of-month month day-of-week), has 6'],
    ["61 * * * *", 'cron "61 * * * *": minute "61" is out of range 0-59'],
    ["0 24 * * *", 'cron "0 24 * * *": hour "24" is out of range 0-23'],
    ["0 0 0 * *", 'cron "0 0 0 * *": day of month "0" is out of range 1-31'],
    ["0 0 * 13 *", 'cron "0 0 * 13 *": month "13" is out of range 1-12'],
    ["0 0 * * 8", 'cron "0 0 * * 8": day of week "8" is out of range 0-7'],
    ["0 0 * foo *", 'cron "0 0 * foo *": month "foo" is not a number, range, list or step (or a three-letter name)'],
    ["0 0 * * mon#2", 'cron "0 0 * * mon#2": day of week "mon#2" is not a number, range, list or step (or a three-letter name)'],
    ["0 0 L * *", 'cron "0 0 L * *": day of month "L" is not a number, range, list or step'],
    ["0 0 ? * *", 'cron "0 0 ? * *": day of month "?" is not a number, range, list or step'],
    ["0 jan * * *", 'cron "0 jan * * *": hour "jan" is not a number, range, list or step'],
  ])("%s", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
  });

  it.each([["*/0 * * * *", "minute"], ["5-2 * * * *", "minute"], ["0 0 * * fri-mon", "day of week"]])("%s names the %s", (expr, field) => {
    expect(() => parseCron(expr)).toThrow(`cron "${expr}": ${field} `);
  });
});
