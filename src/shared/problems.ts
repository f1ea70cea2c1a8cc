/**
 * The closed set of problem codes that may cross a process boundary.
 * Anything else becomes `internal-error`.
 */
export const PROBLEM_CODES = [
  'access-denied',
  'not-found',
  'invalid-input',
  'timeout',
  'unavailable',
  'terminated',
  'internal-error',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface ProblemShape {
  problem: ProblemCode;
  message: string;
}

/** An error that carries a problem code across processes and transports. */
export class Problem extends Error {
  readonly problem: ProblemCode;
  constructor(problem: ProblemCode, message: string) {
    super(message);
    this.name = 'Problem';
    this.problem = problem;
  }
  toJSON(): ProblemShape {
    return { problem: this.problem, message: this.message };
  }
}

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && (PROBLEM_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into a `{ problem, message }` that is safe to send. */
export function toProblem(err: unknown): ProblemShape {
  if (err instanceof Problem) return { problem: err.problem, message: err.message };
  if (err && typeof err === 'object' && 'problem' in err && isProblemCode((err as ProblemShape).problem)) {
    const e = err as ProblemShape;
    return { problem: e.problem, message: String(e.message ?? '') };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { problem: 'internal-error', message };
}
