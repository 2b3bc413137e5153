import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';

/** One occurrence of a flag: its text, or true / false for a bare `--name` / `--no-name`. */
export type FlagValue = string | boolean;

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Splits an operation's flags (`--customerId 1 --amount=120.50 --paid --no-draft`) into
 * name → occurrences, in order. Types are applied later (coerceArguments), so this only
 * knows the shapes: `--name value`, `--name=value`, bare `--name`, `--no-name`. A value may
 * start with one dash (`--amount -5`); one starting with two needs `--name=--value`.
 */
export function parseOperationFlags(tokens: readonly string[]): Map<string, FlagValue[]> {
  const flags = new Map<string, FlagValue[]>();
  const add = (name: string, value: FlagValue) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') continue;
    if (!token.startsWith('--')) {
      throw new ClientError(
        `unexpected "${token}": give the operation's arguments as --name value (or --name=value)`,
        ExitCode.USAGE,
        'BAD_USER_INPUT',
      );
    }
    const body = token.slice(2);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const negated = eq === -1 && name.startsWith('no-') && NAME.test(name.slice(3));
    const argName = negated ? name.slice(3) : name;
    if (!NAME.test(argName)) {
      throw new ClientError(
        `"${token}" is not an argument flag: argument names are letters, digits and _ (GraphQL names)`,
        ExitCode.USAGE,
        'BAD_USER_INPUT',
      );
    }
    if (eq !== -1) add(argName, body.slice(eq + 1));
    else if (negated) add(argName, false);
    else if (i + 1 < tokens.length && !tokens[i + 1]!.startsWith('--')) add(argName, tokens[++i]!);
    else add(argName, true);
  }
  return flags;
}
