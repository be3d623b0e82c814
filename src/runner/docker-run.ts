/**
 * Runs one container to the end: attach, start, feed stdin, stream masked
 * lines, enforce the hard timeout, honour cancellation, remove the container.
 */
import type Docker from "dockerode";
import { PassThrough } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { LineSplitter, type Masker } from "./mask.js";

export interface ContainerOutcome {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
}

export interface ContainerHooks {
  onStarted(containerId: string): void;
  onLine(stream: "stdout" | "stderr", line: string): void;
}

/** Keep at most this much output for parsing the answer (the log keeps everything). */
const MAX_CAPTURE = 16 * 1024 * 1024;
/** Output without a newline is passed on in pieces of this size (memory stays bounded). */
const MAX_LINE = 64 * 1024;

/**
 * Create the run's container (a missing image becomes an error that says how
 * to build it). The options go in the request body only: dockerode would also
 * copy them into the URL's query string, environment (secrets, the prompt)
 * included, where engine debug logs and proxies see them and long prompts
 * overflow the request line.
 */
export function createRunContainer(docker: Docker, options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  return withinStartDeadline(
    (abortSignal) => docker.createContainer({ _query: {}, _body: options, abortSignal } as unknown as Docker.ContainerCreateOptions),
    "create the container",
  ).catch((err: unknown) => {
    throw missingImage(err, String(options.Image)) ?? err;
  });
}

/**
 * Run a container created by createRunContainer to its end. Its removal is
 * started when it has exited and returned as `removed`, so the caller can
 * commit meanwhile (on errors it is awaited here).
 */
export async function runContainer(
  created: Promise<Docker.Container>,
  run: { stdin?: string; timeoutSeconds: number; masker: Masker; signal?: AbortSignal; hooks: ContainerHooks },
): Promise<ContainerOutcome & { removed: Promise<void> }> {
  const container = await created;
  let removed: Promise<void> | undefined;
  const remove = () => container.remove({ force: true }).then(
    () => undefined,
    () => undefined,
  );
  let timedOut = false;
  let cancelled = false;
  const captured = { stdout: "", stderr: "" };
  try {
    const attached = await withinStartDeadline(
      (abortSignal) => container.attach({ stream: true, stdin: run.stdin !== undefined, stdout: true, stderr: true, hijack: run.stdin !== undefined, abortSignal } as Docker.ContainerAttachOptions),
      "attach to the container",
    );
    const ended = new Promise<void>((resolve) => {
      attached.on("end", resolve);
      attached.on("close", resolve);
      attached.on("error", () => resolve());
    });
    for (const stream of ["stdout", "stderr"] as const) {
      const pass = new PassThrough();
      const lines = new LineSplitter((raw) => {
        const line = run.masker.mask(raw);
        if (captured[stream].length < MAX_CAPTURE) captured[stream] += `${line}\n`;
        run.hooks.onLine(stream, line);
      }, { maxLine: MAX_LINE, masker: run.masker });
      // A character cut between two chunks is decoded whole with the next one.
      const decoder = new StringDecoder("utf8");
      pass.on("data", (c: Buffer) => lines.push(decoder.write(c)));
      pass.on("end", () => {
        lines.push(decoder.end());
        lines.end();
      });
      attached.on("end", () => pass.end());
      if (stream === "stdout") container.modem.demuxStream(attached, pass, new PassThrough());
      else container.modem.demuxStream(attached, new PassThrough(), pass);
    }
    await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the container");
    run.hooks.onStarted(container.id);
    if (run.stdin !== undefined) attached.end(run.stdin);

    const kill = () => container.kill({ signal: "SIGKILL" }).catch(() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      void kill();
    }, run.timeoutSeconds * 1000);
    const onAbort = () => {
      cancelled = true;
      void kill();
    };
    run.signal?.addEventListener("abort", onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    let exitCode: number;
    try {
      const waited = (await container.wait()) as { StatusCode: number };
      exitCode = waited.StatusCode;
    } finally {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
    }
    // The log stream may lag the exit by a moment; do not wait forever for it.
    // (The timer is cleared so that it does not keep a short-lived process alive for 2 s.)
    let lag: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise((r) => (lag = setTimeout(r, 2000)))]);
    clearTimeout(lag);
    removed = remove();
    return { exitCode, timedOut, cancelled: cancelled && !timedOut, ...captured, removed };
  } finally {
    if (!removed) await remove();
  }
}

/**
 * How long the engine may take to create, attach and start a container. The
 * run's own timeout only counts once it runs; an engine that stopped
 * answering must fail the run, not hang it.
 */
export const START_DEADLINE_MS = Number(process.env.GITCREW_DOCKER_START_DEADLINE_MS) || 120_000;

/** One engine call with the start deadline; the request is aborted at the deadline (no socket left hanging). */
export async function withinStartDeadline<T>(step: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      step(abort.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new EnvironmentError(`the Docker engine did not ${what} within ${START_DEADLINE_MS / 1000}s`, "check the engine (docker info); the run was not started"));
        }, START_DEADLINE_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The engine's "No such image" as an error that says how to get the image. */
export function missingImage(err: unknown, image: string): EnvironmentError | undefined {
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== 404 || !/no such image/i.test(errorMessage(err))) return undefined;
  const runtime = /^gitcrew\/(claude|codex|gemini|command|base)(:latest)?$/.exec(image)?.[1];
  return new EnvironmentError(
    `the image ${image} is not on this Docker engine`,
    runtime
      ? `build it: gitcrew images build ${runtime === "base" ? "" : `${runtime} `}(add --offline where no registry is reachable)`
      : `pull or build it (docker pull ${image}), or drop \`image:\` from the agent to use the runtime's image (gitcrew images build)`,
  );
}
