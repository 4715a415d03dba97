/** A clock the test moves by hand, so "as of" dates and closure dates are deterministic. */
export class TestClock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}
