import { Clock } from '@app/application';

/** A clock tests set and move; it never moves by itself. */
export class ManualClock extends Clock {
  private current: Date;

  constructor(start: Date | string = '2026-11-02T15:00:00Z') {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  advanceHours(hours: number): void {
    this.advance(hours * 3_600_000);
  }
}
