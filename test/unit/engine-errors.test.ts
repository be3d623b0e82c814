/**
 * The Docker engine's problems told apart. Not installed cannot be produced
 * on a machine that has Docker (the default socket and dockerd are there),
 * so it is checked here from the facts the check looks at; the other kinds
 * are produced for real in test/e2e/cli-json-errors.test.ts.
 */
import { describe, expect, it } from "vitest";
import { engineProblem, tooOld } from "../../src/runner/engine-errors.js";

const enoent = Object.assign(new Error("connect ENOENT /var/run/docker.sock"), { code: "ENOENT" });

describe("engine problems", () => {
  it("no socket, no DOCKER_HOST and no dockerd on PATH: not installed, with how to install", () => {
    const e = engineProblem(enoent, { where: "unix:///var/run/docker.sock", explicit: false, socket: "/var/run/docker.sock", path: "/nonexistent/bin" });
    expect(e.code).toBe("docker_not_installed");
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe("no Docker engine is installed here (no socket at /var/run/docker.sock, no dockerd on PATH)");
    expect(e.hint).toContain("sudo apt-get install docker.io");
  });

  it("no socket but dockerd installed, or DOCKER_HOST chosen: not running", () => {
    expect(engineProblem(enoent, { where: "unix:///var/run/docker.sock", explicit: false, socket: "/var/run/docker.sock", path: "/usr/sbin:/usr/bin" }).code).toBe("docker_not_running");
    expect(engineProblem(enoent, { where: "unix:///x.sock", explicit: true, socket: "/x.sock", path: "" }).code).toBe("docker_not_running");
    const refused = engineProblem(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }), { where: "tcp://127.0.0.1:2375", explicit: true, path: "" });
    expect(refused.message).toBe("the Docker engine at tcp://127.0.0.1:2375 is not running (connection refused)");
  });

  it("EACCES: permission denied, with the docker group or root as the fix", () => {
    const e = engineProblem(Object.assign(new Error("EACCES"), { code: "EACCES" }), { where: "unix:///var/run/docker.sock", explicit: false, socket: "/var/run/docker.sock", path: "" });
    expect(e.code).toBe("docker_permission_denied");
    expect(e.hint).toContain("usermod -aG docker");
  });

  it("an API below 1.41 is too old; 1.41 and later are fine", () => {
    expect(tooOld("1.40", "unix:///s")?.code).toBe("docker_too_old");
    expect(tooOld("1.9", "unix:///s")?.code).toBe("docker_too_old");
    expect(tooOld("1.41", "unix:///s")).toBeUndefined();
    expect(tooOld("1.47", "unix:///s")).toBeUndefined();
    expect(tooOld("2.0", "unix:///s")).toBeUndefined();
  });
});
