/**
 * Where every "now" and "today" comes from. Production reads the system clock; tests and `ARBOR_NOW` pin a start
 * instant from which time runs on, so nothing depends on the day the code happens to run.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `start` when created and runs on at the pace of `base`; `set` moves it to another instant. */
export class ShiftedClock implements Clock {
  private offsetMs: number;

  constructor(
    start: Date,
    private readonly base: Clock = systemClock,
  ) {
    this.offsetMs = start.getTime() - base.now().getTime();
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - this.base.now().getTime();
  }
}

/** The process's clock: ARBOR_NOW (an ISO instant) pins the start, else the system clock. */
export function clockFor(now: string | null | undefined): Clock {
  if (!now) return systemClock;
  const start = new Date(now);
  if (Number.isNaN(start.getTime())) throw new Error(`ARBOR_NOW is not an ISO date-time: ${now}`);
  return new ShiftedClock(start);
}
