import { coerceArguments, type NamedTypeInfo, type TypeLookup } from '../../src/client/coerceArguments.js';
import { ClientError } from '../../src/client/clientError.js';
import { ExitCode } from '../../src/client/exitCodes.js';
import { parseOperationFlags } from '../../src/client/operationFlags.js';

const operation = (args: Record<string, string>, defaults: Record<string, string> = {}) => ({
  name: 'op',
  arguments: Object.entries(args).map(([name, type]) => ({
    name,
    type,
    defaultValue: defaults[name] ?? null,
    description: null,
  })),
});

const types: ReadonlyMap<string, NamedTypeInfo> = new Map<string, NamedTypeInfo>([
  ['InvoiceStatus', { kind: 'ENUM', values: ['OPEN', 'PAID', 'VOID'] }],
  ['Filter', { kind: 'INPUT_OBJECT' }],
]);
const lookups: string[][] = [];
const lookup: TypeLookup = async (names) => {
  lookups.push([...names]);
  return types;
};

const coerce = (args: Record<string, string>, tokens: string[], defaults?: Record<string, string>) =>
  coerceArguments(operation(args, defaults), parseOperationFlags(tokens), lookup);

async function problems(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ClientError)) throw new Error(`expected a ClientError, got ${String(error)}`);
  expect(error.exitCode).toBe(ExitCode.USAGE);
  return error.extensions.problems as string[];
}

describe('coerceArguments: flag strings to typed variables', () => {
  beforeEach(() => lookups.splice(0));

  test('scalars: Int, Float, Boolean, ID and String', async () => {
    const args = { n: 'Int!', x: 'Float', ok: 'Boolean', off: 'Boolean', yes: 'Boolean', id: 'ID', s: 'String' };
    const tokens = ['--n', '-42', '--x=1e3', '--ok', '--no-off', '--yes', 'false', '--id', '007', '--s', 'a b'];
    expect(await coerce(args, tokens)).toEqual({
      n: -42,
      x: 1000,
      ok: true,
      off: false,
      yes: false,
      id: '007',
      s: 'a b',
    });
    expect(lookups).toEqual([]);
  });

  test('enums are checked against the schema, input objects and custom scalars parse as JSON', async () => {
    const args = { status: 'InvoiceStatus!', where: 'Filter', at: 'DateTime' };
    const tokens = ['--status', 'PAID', '--where', '{"amountOver": 10}', '--at', '2024-05-01'];
    expect(await coerce(args, tokens)).toEqual({ status: 'PAID', where: { amountOver: 10 }, at: '2024-05-01' });
    expect(lookups).toEqual([['InvoiceStatus', 'Filter', 'DateTime']]);
    expect(await problems(coerce({ status: 'InvoiceStatus' }, ['--status', 'paid']))).toEqual([
      '--status expects one of OPEN, PAID, VOID (InvoiceStatus), got "paid"',
    ]);
  });

  test('lists: repeat the flag or give a JSON array; items are typed', async () => {
    const args = { ids: '[ID!]!', counts: '[Int]', states: '[InvoiceStatus!]' };
    expect(await coerce(args, ['--ids', '1', '--ids', '2', '--counts', '[1, null, 3]', '--states', 'OPEN'])).toEqual({
      ids: ['1', '2'],
      counts: [1, null, 3],
      states: ['OPEN'],
    });
    expect(await problems(coerce({ counts: '[Int!]' }, ['--counts', '[1, "x", null]']))).toEqual([
      '--counts[1] expects an Int (a whole number, 32-bit), got "x"',
      '--counts[2] must not be null (Int!)',
    ]);
  });

  test('arguments left out are left to their defaults', async () => {
    expect(await coerce({ first: 'Int', currency: 'String!' }, [], { currency: '"EUR"' })).toEqual({});
  });

  test('reports every problem at once: unknown, missing, malformed, repeated', async () => {
    const args = { customerId: 'ID!', amount: 'Float!', first: 'Int', paid: 'Boolean' };
    const tokens = ['--customerid', '1', '--amount', '12,50', '--first', '2', '--first', '3', '--paid', 'maybe'];
    expect(await problems(coerce(args, tokens))).toEqual([
      'unknown argument --customerid; did you mean --customerId?',
      'missing required argument --customerId (ID!)',
      '--amount expects a Float (a number), got "12,50"',
      '--first was given 2 times, but it takes one value (Int)',
      '--paid expects a Boolean (true or false), got "maybe"',
    ]);
    expect(await problems(coerce({}, ['--x', '1']))).toEqual(['unknown argument --x; op takes no arguments']);
    expect(await problems(coerce({ n: 'Int' }, ['--n', '2147483648']))).toEqual([
      '--n expects an Int (a whole number, 32-bit), got "2147483648"',
    ]);
    expect(await problems(coerce({ s: 'String' }, ['--s']))).toEqual([
      '--s needs a value (String): give it as --s VALUE',
    ]);
  });

  test('the usage line shows required and optional arguments with defaults', async () => {
    const error = await coerce({ customerId: 'ID!', currency: 'String' }, [], { currency: '"EUR"' }).catch(
      (e: unknown) => e as ClientError,
    );
    expect((error as ClientError).message).toMatch(
      /\nusage: affordance-gateway client call op --customerId <ID!> \[--currency <String> = "EUR"\]$/,
    );
  });
});

describe('parseOperationFlags', () => {
  test('takes --name value, --name=value, bare and negated switches, and values after "--"', () => {
    expect(parseOperationFlags(['--a', '1', '--b=--x', '--c', '--no-d', '--', '--json', 'yes'])).toEqual(
      new Map<string, (string | boolean)[]>([
        ['a', ['1']],
        ['b', ['--x']],
        ['c', [true]],
        ['d', [false]],
        ['json', ['yes']],
      ]),
    );
  });

  test('rejects positional words and flags that are not GraphQL names', () => {
    expect(() => parseOperationFlags(['1'])).toThrow(/unexpected "1": give the operation's arguments as --name value/);
    expect(() => parseOperationFlags(['--a.b', '1'])).toThrow(/"--a.b" is not an argument flag/);
  });
});
