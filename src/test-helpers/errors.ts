/**
 * Expected-error tests: run the code, return the MedrexError it throws, and fail the test if it throws anything
 * else or nothing, so that the test can then look at the message, rule, file and line.
 */
import { MedrexError } from '../errors.js';

/** The MedrexError that `fn` throws. */
export function errorOf(fn: () => unknown): MedrexError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MedrexError) return err;
    throw err;
  }
  throw new Error('expected a MedrexError');
}

/** The MedrexError that `work` (a promise, or a function returning one) rejects with. */
export async function rejectionOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<MedrexError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    if (err instanceof MedrexError) return err;
    throw err;
  }
  throw new Error('expected a MedrexError');
}
