import type { ImportProblem, ImportSeverity } from '#shared/schemas/roster-import.ts';

export type { ImportProblem, ImportSeverity };

/** Default number of problems kept in a run's stored report; the counts stay exact beyond it. */
export const DEFAULT_REPORT_CAP = 10_000;

/**
 * A problem with the whole file: nothing of the file is imported. The
 * message is shown to the admin as is (Chinese).
 */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly sheet: string | null = null,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/**
 * Every problem of a run, counted exactly, the first `cap` kept: a file
 * with a wrong column can produce a million identical errors, and the
 * report must not hold them all in memory or in one jsonb value.
 */
export class ProblemLog {
  readonly kept: ImportProblem[] = [];
  count = 0;

  constructor(readonly cap: number = DEFAULT_REPORT_CAP) {}

  add(problem: ImportProblem): void {
    this.count++;
    if (this.kept.length < this.cap) this.kept.push(problem);
  }

  get truncated(): boolean {
    return this.count > this.kept.length;
  }
}
