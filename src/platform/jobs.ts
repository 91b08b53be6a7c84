import PgBoss from 'pg-boss';

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

/**
 * Background work. On PostgreSQL: pg-boss queues shared by any number of worker processes.
 * On the embedded database (one process by design): the same handlers run in process.
 * Every handler must be idempotent: running a job twice changes nothing the second time.
 */
export interface Jobs {
  /** `work: false` queues the job here but leaves the work to processes that can do it (e.g. have SMTP). */
  define(name: string, handler: JobHandler, opts?: DefineOptions): void;
  /** Queues a job; a singletonKey keeps one queued job per key. */
  send(name: string, data?: Record<string, unknown>, opts?: { singletonKey?: string }): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * True once stop() was called where a long handler should give up at its next safe point instead of being awaited
   * to the end (the embedded database: what it leaves is queued again at the next start).
   */
  stopping?(): boolean;
}

export interface DefineOptions {
  daily?: string;
  work?: boolean;
  /** In-process jobs: one at a time (jobs of the one embedded connection that would otherwise queue up on it). */
  serial?: boolean;
}

interface Definition {
  handler: JobHandler;
  daily?: string | undefined;
  work: boolean;
  serial?: boolean | undefined;
}

/** pg-boss on PostgreSQL; `daily` is the hh:mm (UTC) of a scheduled run. */
export class PgBossJobs implements Jobs {
  private readonly defs = new Map<string, Definition>();
  private boss: PgBoss | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly opts: { work: boolean; schedule: boolean },
  ) {}

  define(name: string, handler: JobHandler, opts: DefineOptions = {}): void {
    this.defs.set(name, { handler, daily: opts.daily, work: opts.work ?? true });
  }

  async start(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.connectionString,
      schema: 'pgboss',
      max: 4,
      application_name: 'arbor-jobs',
    });
    boss.on('error', (err) => console.error(JSON.stringify({ level: 50, msg: 'job queue error', err: String(err) })));
    await boss.start();
    for (const [name, def] of this.defs) {
      // Processes starting at once on a fresh database may deadlock creating the same queue: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          await boss.createQueue(name);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
        }
      }
      if (this.opts.work)
        await boss.work<Record<string, unknown>>(name, { batchSize: 1 }, async ([job]) => def.handler(job?.data ?? {}));
      if (this.opts.schedule && def.daily) {
        const [h, m] = def.daily.split(':');
        await boss.schedule(name, `${Number(m)} ${Number(h)} * * *`, {});
      }
    }
    this.boss = boss;
  }

  async send(name: string, data: Record<string, unknown> = {}, opts: { singletonKey?: string } = {}): Promise<void> {
    if (!this.boss) throw new Error('Jobs are not started.');
    await this.boss.send(name, data, opts.singletonKey ? { singletonKey: opts.singletonKey } : {});
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.boss = null;
  }
}

/** In-process jobs for the embedded database: queued jobs run at once (retried with backoff), daily ones on a timer. */
export class LocalJobs implements Jobs {
  private readonly defs = new Map<string, Definition>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly singletons = new Set<string>();
  private readonly lastOf = new Map<string, Promise<void>>();
  private stopped = true;

  constructor(private readonly opts: { schedule: boolean; retries?: number } = { schedule: true }) {}

  define(name: string, handler: JobHandler, opts: DefineOptions = {}): void {
    this.defs.set(name, { handler, daily: opts.daily, work: opts.work ?? true, serial: opts.serial });
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (!this.opts.schedule) return;
    for (const [name, def] of this.defs) if (def.daily) this.scheduleDaily(name, def.daily);
  }

  private scheduleDaily(name: string, hhmm: string): void {
    const [h, m] = hhmm.split(':').map(Number);
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
    if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.send(name).finally(() => !this.stopped && this.scheduleDaily(name, hhmm));
    }, next.getTime() - now.getTime());
    timer.unref();
    this.timers.add(timer);
  }

  async send(name: string, data: Record<string, unknown> = {}, opts: { singletonKey?: string } = {}): Promise<void> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`No job ${name}.`);
    if (this.stopped || !def.work) return;
    const key = opts.singletonKey ? `${name}:${opts.singletonKey}` : null;
    if (key && this.singletons.has(key)) return;
    if (key) this.singletons.add(key);
    // A serial job starts when the previous one of its name has ended.
    const previous = def.serial ? (this.lastOf.get(name) ?? Promise.resolve()) : Promise.resolve();
    const run = previous
      .then(() => (this.stopped ? undefined : this.runWithRetries(def.handler, data, this.opts.retries ?? 3)))
      .finally(() => {
        if (key) this.singletons.delete(key);
        this.running.delete(run);
        if (this.lastOf.get(name) === run) this.lastOf.delete(name);
      });
    this.running.add(run);
    if (def.serial) this.lastOf.set(name, run);
  }

  private async runWithRetries(handler: JobHandler, data: Record<string, unknown>, retries: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await handler(data);
        return;
      } catch (err) {
        if (attempt >= retries || this.stopped) {
          console.error(JSON.stringify({ level: 50, msg: 'job failed', err: String(err) }));
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  stopping(): boolean {
    return this.stopped;
  }

  /** Waits for the jobs under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }
}
