/**
 * Offline images: the rootfs they start from is a root filesystem an agent
 * user can walk, an image of an earlier recipe is rebuilt, not reused, and
 * they carry a Node every agent CLI in them supports (not the host's).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_IMAGE, GENERATION_LABEL, IMAGE_GENERATION, IMAGE_NODE_MAJOR, imageCurrent, NODE_LABEL, ROOTFS_GENERATION } from "../../src/runner/images/offline-base.js";
import { cacheDir } from "../../src/runner/images/paths.js";
import { requireDockerAndImage } from "../support/runner-harness.js";

const exec = promisify(execFile);
const OLD = `gitcrew-test/older-generation:${process.pid}`;
const UNLABELLED = `gitcrew-test/unlabelled:${process.pid}`;

/** A one-line image on top of the base, with the generation label set to `value` ("" clears it). */
async function labelled(tag: string, value: string): Promise<void> {
  const ctx = mkdtempSync(join(tmpdir(), "gitcrew-label-"));
  try {
    writeFileSync(join(ctx, "Dockerfile"), `FROM ${BASE_IMAGE}\nLABEL ${GENERATION_LABEL}="${value}"\n`);
    await exec("docker", ["build", "-q", "-t", tag, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  await requireDockerAndImage();
  await labelled(OLD, String(Number(IMAGE_GENERATION) - 1));
  await labelled(UNLABELLED, "");
}, 600_000);

afterAll(async () => {
  await exec("docker", ["image", "rm", "-f", OLD, UNLABELLED]).catch(() => undefined);
});

describe("offline images", () => {
  it("start from a rootfs whose / is 0755, so the agent user (1000) can reach anything on any storage driver", async () => {
    const tarball = join(cacheDir(), `bookworm-minbase-g${ROOTFS_GENERATION}.tar`);
    const { stdout } = await exec("tar", ["-tvf", tarball, "./"], { maxBuffer: 1 << 20 });
    expect(stdout.split("\n")[0]).toMatch(/^drwxr-xr-x 0\/0 .* \.\/$/);
  });

  it("count as present only when built by this generation of the recipe", async () => {
    expect(await imageCurrent(BASE_IMAGE)).toBe(true);
    expect(await imageCurrent("gitcrew/command:latest")).toBe(true);
    expect(await imageCurrent(OLD)).toBe(false);
    expect(await imageCurrent(UNLABELLED)).toBe(false);
    expect(await imageCurrent(`gitcrew-test/never-built:${process.pid}`)).toBe(false);
  });

  it(`run Node ${IMAGE_NODE_MAJOR} from the registry's node-linux package, which Claude Code supports, whatever Node built them`, async () => {
    const inImage = async (image: string, cmd: string[]) => (await exec("docker", ["run", "--rm", "--network", "none", "--entrypoint", cmd[0]!, image, ...cmd.slice(1)])).stdout.trim();
    for (const image of ["gitcrew/command:latest", "gitcrew/claude:latest"]) {
      const version = await inImage(image, ["node", "--version"]);
      expect(version).toMatch(new RegExp(`^v${IMAGE_NODE_MAJOR}\\.`));
      const { stdout } = await exec("docker", ["image", "inspect", "--format", `{{index .Config.Labels "${NODE_LABEL}"}}`, image]);
      expect(stdout.trim()).toBe(version);
    }
    // The Claude Code in the image declares `node >= N` (22 today): the image's Node meets it, and claude runs.
    const wants = await inImage("gitcrew/claude:latest", ["node", "-p", 'require("/opt/gitcrew/cli/node_modules/@anthropic-ai/claude-code/package.json").engines.node']);
    const min = /^>=\s*(\d+)/.exec(wants);
    expect(min, `claude-code's engines.node: ${wants}`).not.toBeNull();
    expect(Number(IMAGE_NODE_MAJOR)).toBeGreaterThanOrEqual(Number(min![1]));
    expect(await inImage("gitcrew/claude:latest", ["claude", "--version"])).toMatch(/\d+\.\d+\.\d+/);
  });
});
