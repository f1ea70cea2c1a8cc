import { ApiError } from './api';

/** One sentence a person can act on, for any error a channel call can end with. */
export function describeError(err: unknown, what = 'This'): string {
  if (err instanceof ApiError) {
    switch (err.problem) {
      case 'unavailable':
        return `${what} is not available right now: ${err.message}`;
      case 'not-found':
        return `${what} is not part of this build or was not found: ${err.message}`;
      case 'access-denied':
        return `Permission denied: ${err.message}. An administrator must allow this action (polkit).`;
      case 'timeout':
        return `${what} took too long to answer: ${err.message}`;
      case 'invalid-input':
        return `Rejected: ${err.message}`;
      case 'terminated':
        return `${what} stopped while answering: ${err.message}`;
      default:
        return `Something went wrong: ${err.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** True when the channel does not exist in this build (the page shows "not available"). */
export function isMissing(err: unknown): boolean {
  return err instanceof ApiError && (err.problem === 'not-found' || err.problem === 'unavailable');
}
