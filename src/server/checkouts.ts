/**
 * The checkouts of a server serving many repositories: one clone per
 * repository under `$GITCREW_HOME/repos/OWNER/NAME`, cloned on the first
 * event that needs it (nothing at start), shared by the repository's
 * planning and runs, and removed least-recently-used when the clones
 * together pass `--checkout-budget`. A clone in use (a run's worktree comes
 * from it) is never removed; one asked to go while in use goes when the last
 * user lets it go.
 */
import { existsSync } from "node:fs";
import { lstat, readdir, rm, rmdir } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { errorMessage } from "../util/errors.js";
import { checkoutPath, cloneRepository, refreshCredentials } from "./repo.js";

export interface CheckoutLease {
  dir: string;
  /** True when this acquire cloned it. */
  cloned: boolean;
  release(): void;
}

interface Entry {
  dir: string;
  users: number;
  lastUsed: number;
  /** Bytes on disk when last measured. */
  bytes: number;
  token?: string;
  /** Removal asked while in use. */
  doomed?: string;
  /** Clone or credential update in flight: one at a time per repository. */
  busy: Promise<unknown>;
}

export interface CheckoutPoolOptions {
  /** `$GITCREW_HOME/repos`. */
  root: string;
  budgetBytes: number;
  apiUrl?: string;
  /** The token git uses for this repository (an installation token with an App). */
  token(fullName: string): Promise<string | undefined>;
  log(line: string): void;
  now?: () => number;
}

export class CheckoutPool {
  private readonly entries = new Map<string, Entry>();
  private readonly root: string;
  private scanned = false;
  private tick = 0;

  constructor(private readonly o: CheckoutPoolOptions) {
    this.root = resolve(o.root);
  }

  /** Where OWNER/NAME's checkout lives; throws for a name that is not OWNER/NAME (it never becomes a path). */
  dirOf(fullName: string): string {
    const dir = resolve(this.root, ...checkoutPath(fullName));
    // checkoutPath admits no separator, "." or "..": this holds by construction, and is checked all the same.
    if (!dir.startsWith(this.root + sep)) throw new Error(`checkout of ${fullName} would leave ${this.root}`);
    return dir;
  }

  /** Is a clone of it on disk now? */
  has(fullName: string): boolean {
    return existsSync(join(this.dirOf(fullName), ".git"));
  }

  /** The clone (cloned now when absent), with its credentials current; hold it until `release`. */
  async acquire(fullName: string): Promise<CheckoutLease> {
    const key = fullName.toLowerCase();
    const dir = this.dirOf(fullName);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { dir, users: 0, lastUsed: 0, bytes: 0, busy: Promise.resolve() };
      this.entries.set(key, entry);
    }
    const e = entry;
    e.users++;
    e.lastUsed = this.now();
    let cloned = false;
    const step = e.busy.then(async () => {
      const token = await this.o.token(fullName);
      cloned = await cloneRepository(fullName, dir, { apiUrl: this.o.apiUrl, token, log: this.o.log });
      if (cloned || token !== e.token) {
        await refreshCredentials({ dir, managed: true }, this.o.apiUrl, token);
        e.token = token;
      }
      if (cloned) e.bytes = await sizeOf(dir);
    });
    e.busy = step.catch(() => undefined);
    try {
      await step;
    } catch (err) {
      this.let(key, e);
      throw err;
    }
    if (cloned) await this.enforceBudget(key).catch((err: unknown) => this.o.log(`checkouts: ${errorMessage(err)}`));
    let released = false;
    return {
      dir,
      cloned,
      release: () => {
        if (released) return;
        released = true;
        this.let(key, e);
      },
    };
  }

  /** Measure again (after a fetch), and keep to the budget. */
  async measured(fullName: string): Promise<void> {
    const e = this.entries.get(fullName.toLowerCase());
    if (!e || !existsSync(e.dir)) return;
    e.bytes = await sizeOf(e.dir);
    await this.enforceBudget(fullName.toLowerCase());
  }

  /** Remove the checkout (served no more): now if unused, else when its last user lets it go. The caller logs it. */
  async remove(fullName: string, why: string): Promise<void> {
    const key = fullName.toLowerCase();
    const dir = this.dirOf(fullName);
    const e = this.entries.get(key);
    if (e && e.users > 0) {
      e.doomed = why;
      return;
    }
    this.entries.delete(key);
    await this.removeDir(dir, why, false);
  }

  /** Bytes of the clones this pool knows. */
  get totalBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }

  private let(key: string, e: Entry): void {
    e.users = Math.max(0, e.users - 1);
    e.lastUsed = this.now();
    if (e.users === 0 && e.doomed && this.entries.get(key) === e) {
      this.entries.delete(key);
      void this.removeDir(e.dir, e.doomed, false);
    }
  }

  private async removeDir(dir: string, why: string, log = true): Promise<void> {
    if (!existsSync(dir)) return;
    await rm(dir, { recursive: true, force: true });
    // The owner's folder goes with its last repository.
    await rmdir(resolve(dir, "..")).catch(() => undefined);
    if (log) this.o.log(`checkouts: removed ${dir} (${why})`);
  }

  /** Least recently used idle clones go until the rest fit; the one just cloned stays. */
  private async enforceBudget(keep: string): Promise<void> {
    if (!this.scanned) await this.scanLeftovers();
    const idle = [...this.entries.entries()].filter(([k, e]) => k !== keep && e.users === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, e] of idle) {
      if (this.totalBytes <= this.o.budgetBytes) return;
      this.entries.delete(key);
      await this.removeDir(e.dir, `least recently used; the checkouts passed --checkout-budget of ${mib(this.o.budgetBytes)} MiB`);
    }
  }

  /** Clones a previous process left (once, at the first clone): they count, oldest of all. */
  private async scanLeftovers(): Promise<void> {
    this.scanned = true;
    for (const owner of await readdir(this.root).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.root, owner)).catch(() => [] as string[])) {
        const key = `${owner}/${name}`;
        const dir = join(this.root, owner, name);
        if (this.entries.has(key) || !existsSync(join(dir, ".git"))) continue;
        this.entries.set(key, { dir, users: 0, lastUsed: -1, bytes: await sizeOf(dir), busy: Promise.resolve() });
      }
    }
  }

  /** A strictly increasing clock, so that order of use decides even within one millisecond. */
  private now(): number {
    const t = (this.o.now ?? Date.now)();
    this.tick = Math.max(this.tick + 1e-3, t);
    return this.tick;
  }
}

const mib = (n: number): number => Math.round(n / 1024 ** 2);

/** Bytes of a folder tree (not following links). */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    for (const ent of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) stack.push(p);
      else total += (await lstat(p).catch(() => undefined))?.size ?? 0;
    }
  }
  return total;
}
