import { badUserInput } from './badUserInput.js';

/**
 * Longest string each argument of the demo subgraphs may be, checked before any other work
 * (a parse, a gRPC call): an id is at most 20 characters (inv- and 16 digits), so 64 leaves
 * room and still refuses a 200 KB "id" at once.
 */
export const ARGUMENT_MAX_CHARS = {
  id: 64,
  customerId: 64,
  currency: 16,
  description: 500,
} as const;

/** Throws BAD_USER_INPUT naming the argument and its limit when `value` is longer than the limit. */
export function checkLength(argument: keyof typeof ARGUMENT_MAX_CHARS, value: string): void {
  const max = ARGUMENT_MAX_CHARS[argument];
  if (value.length > max) {
    throw badUserInput(argument, `must be at most ${max} characters, got ${value.length}`);
  }
}
