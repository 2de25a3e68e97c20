/** Undo steps of a multi-step side effect: each step registers how to take itself back; on failure they run newest first. */
export class Undo {
  private readonly steps: { label: string; run: () => Promise<unknown> }[] = [];

  /** Records how to undo a step that just succeeded. */
  push(label: string, run: () => Promise<unknown>): void {
    this.steps.push({ label, run });
  }

  /** Forgets every step (the whole work succeeded). */
  commit(): void {
    this.steps.length = 0;
  }

  /** Runs every recorded step newest first; a failing step does not stop the others. Returns what failed. */
  async run(): Promise<string[]> {
    const failed: string[] = [];
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        failed.push(`${step.label}: ${(err as Error).message}`);
      }
    }
    return failed;
  }
}
