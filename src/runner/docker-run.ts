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

/** What a run passes to its container's output and end. */
export interface RunSide {
  stdin?: string;
  timeoutSeconds: number;
  masker: Masker;
  signal?: AbortSignal;
  hooks: ContainerHooks;
}

/**
 * A container attached to (stdin held open when it reads one), its output
 * kept until a run takes it (`bind`). Made before the start, so nothing the
 * container prints is lost.
 */
export interface AttachedContainer {
  container: Docker.Container;
  /** From here on, output lines go to `run` (those printed before first). */
  bind(run: Pick<RunSide, "masker" | "hooks">): void;
  /** Writes the start of stdin now (a CLI started ahead waits for its first byte: RuntimeAdapter.startsAhead). */
  lead(text: string): void;
  /** Ends the container's stdin with the rest of `stdin` (all of it, less what `lead` wrote). */
  feed(stdin: string | undefined): void;
  captured: { stdout: string; stderr: string };
  ended: Promise<void>;
}

export async function attachContainer(container: Docker.Container, stdin: boolean): Promise<AttachedContainer> {
  const attached = await withinStartDeadline(
    (abortSignal) => container.attach({ stream: true, stdin, stdout: true, stderr: true, hijack: stdin, abortSignal } as Docker.ContainerAttachOptions),
    "attach to the container",
  );
  const ended = new Promise<void>((resolve) => {
    attached.on("end", resolve);
    attached.on("close", resolve);
    attached.on("error", () => resolve());
  });
  const captured = { stdout: "", stderr: "" };
  // Unread until `bind`: a PassThrough keeps what arrives before (a container started ahead prints nothing then).
  const passes = { stdout: new PassThrough(), stderr: new PassThrough() };
  attached.on("end", () => {
    passes.stdout.end();
    passes.stderr.end();
  });
  container.modem.demuxStream(attached, passes.stdout, passes.stderr);
  let led = "";
  return {
    container,
    captured,
    ended,
    lead: (text) => {
      led += text;
      attached.write(text);
    },
    feed: (text) => {
      if (text === undefined) return;
      if (!text.startsWith(led)) throw new Error("docker-run: stdin does not start with what was written ahead");
      attached.end(text.slice(led.length));
    },
    bind: (run) => {
      for (const stream of ["stdout", "stderr"] as const) {
        const lines = new LineSplitter((raw) => {
          const line = run.masker.mask(raw);
          if (captured[stream].length < MAX_CAPTURE) captured[stream] += `${line}\n`;
          run.hooks.onLine(stream, line);
        }, { maxLine: MAX_LINE, masker: run.masker });
        // A character cut between two chunks is decoded whole with the next one.
        const decoder = new StringDecoder("utf8");
        passes[stream].on("data", (c: Buffer) => lines.push(decoder.write(c)));
        passes[stream].on("end", () => {
          lines.push(decoder.end());
          lines.end();
        });
      }
    },
  };
}

/**
 * Run a container created by createRunContainer to its end. Its removal is
 * started when it has exited and returned as `removed`, so the caller can
 * commit meanwhile (on errors it is awaited here).
 */
export async function runContainer(created: Promise<Docker.Container>, run: RunSide): Promise<ContainerOutcome & { removed: Promise<void> }> {
  const container = await created;
  let attached: AttachedContainer | undefined;
  try {
    attached = await attachContainer(container, run.stdin !== undefined);
    attached.bind(run);
    await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the container");
  } catch (err) {
    await removeContainer(container);
    throw err;
  }
  return runStarted(attached, run);
}

/**
 * The rest of a run once its container runs: started now (runContainer), or
 * ahead and bound to this run (prepared-runs.ts). The run's timeout counts
 * from here.
 */
export async function runStarted(attached: AttachedContainer, run: RunSide): Promise<ContainerOutcome & { removed: Promise<void> }> {
  const { container, captured, ended } = attached;
  let removed: Promise<void> | undefined;
  let timedOut = false;
  let cancelled = false;
  try {
    run.hooks.onStarted(container.id);
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
    let exitCode: number;
    try {
      // Cancelled already: the prompt is not written (a CLI started ahead would act on it before the kill lands).
      if (run.signal?.aborted) onAbort();
      else attached.feed(run.stdin);
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
    removed = removeContainer(container);
    return { exitCode, timedOut, cancelled: cancelled && !timedOut, ...captured, removed };
  } finally {
    if (!removed) await removeContainer(container);
  }
}

function removeContainer(container: Docker.Container): Promise<void> {
  return container.remove({ force: true, v: true }).then(
    () => undefined,
    () => undefined,
  );
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
