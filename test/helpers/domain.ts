import { DomainError } from '../../src/errors.js';

/** The DomainError a call throws (fails the test when it throws nothing, or throws something else). */
export function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
