/**
 * Offline images: the rootfs they start from is a root filesystem an agent
 * user can walk, and an image of an earlier recipe is rebuilt, not reused.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_IMAGE, GENERATION_LABEL, IMAGE_GENERATION, imageCurrent } from "../../src/runner/images/offline-base.js";
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
    const tarball = join(cacheDir(), `bookworm-minbase-g${IMAGE_GENERATION}.tar`);
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
});
