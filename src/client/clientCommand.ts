import { Command, InvalidArgumentError, Option } from 'commander';
import { callCommand } from './callCommand.js';
import { ClientError } from './clientError.js';
import { EXIT_CODES_HELP, ExitCode } from './exitCodes.js';
import { GatewayClient } from './gatewayClient.js';
import { DEFAULT_GATEWAY_URL, gatewayBaseUrl } from './gatewayUrl.js';
import { historyCommand } from './historyCommand.js';
import { listCommand } from './listCommand.js';
import { processTerminal, type Terminal } from './terminal.js';

interface ClientOptions {
  url: string;
  json?: boolean;
  timeout: number;
  token?: string;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of milliseconds (> 0)');
  return n;
}

/**
 * `affordance-gateway client …`: the gateway's command-line client. Options shared by its
 * commands (--url, --json, --timeout) belong to the group, so they go anywhere on the line;
 * an operation argument with one of those names goes after `--`.
 */
export function clientCommand(): Command {
  const client = new Command('client')
    .description('use a running gateway: list what can be called now, call an operation, watch availability')
    .addOption(
      new Option('--url <url>', 'the gateway: its base URL or its /graphql endpoint')
        .env('AG_GATEWAY_URL')
        .default(DEFAULT_GATEWAY_URL),
    )
    .option('--json', 'machine-readable output on stdout (errors too, GraphQL-style)')
    .addOption(
      new Option('--timeout <ms>', 'time allowed for each request to the gateway')
        .default(10_000)
        .argParser(milliseconds),
    )
    .addOption(
      new Option(
        '--token <jwt>',
        'a JWT sent as Authorization: Bearer; the gateway answers what this caller may do',
      ).env('AG_TOKEN'),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    // Commander exits 1 on a bad command line; here 1 means "the operation failed".
    .exitOverride((error) => process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE));

  client
    .command('list')
    .description('list the operations available now (name, kind, subgraph, arguments) and those unavailable, with why')
    .option('--watch', 'keep following availability through the change stream; Ctrl-C stops')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (opts: { watch?: boolean }, command: Command) => {
      const { url, json, timeout, token } = command.optsWithGlobals<ClientOptions>();
      const abort = new AbortController();
      if (opts.watch) {
        // Ctrl-C ends the watch normally (exit 0); a second one kills as usual.
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
      await run(json === true, (terminal) =>
        listCommand(
          new GatewayClient(gatewayBaseUrl(url), timeout, token),
          { json: json === true, watch: opts.watch === true, signal: abort.signal },
          terminal,
        ),
      );
    });

  client
    .command('history')
    .description("the gateway's record of subgraph transitions: a sparkline of availability per subgraph and a table")
    .option('--subgraph <name>', 'only this subgraph')
    .option('--since <when>', 'from a duration back from now (90s, 15m, 1h, 7d) or an RFC 3339 time', '1h')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (opts: { subgraph?: string; since: string }, command: Command) => {
      const { url, json, timeout, token } = command.optsWithGlobals<ClientOptions>();
      await run(json === true, (terminal) =>
        historyCommand(
          new GatewayClient(gatewayBaseUrl(url), timeout, token),
          { json: json === true, since: opts.since, subgraph: opts.subgraph },
          terminal,
        ),
      );
    });

  client
    .command('call')
    .description(
      'run an available operation; its arguments are flags: call createInvoice --customerId 1 --amount 120.50',
    )
    .argument('<operation>', 'the operation (a root field), as `client list` names it')
    .argument('[arguments...]', "the operation's arguments as --name value, --name=value, --flag / --no-flag")
    .option('--dry-run', 'print the document and variables instead of sending them')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      `
Values are typed by the operation's arguments: Int, Float, Boolean (true/false, or a bare
--flag / --no-flag), ID and String as given, enums checked against the schema, lists by
repeating the flag or as a JSON array, input objects as JSON. A value starting with "--" is
given as --name=--value; an argument named like a client option (url, json, timeout, token) goes
after "--".
${EXIT_CODES_HELP}`,
    )
    .action(async (operation: string, flags: string[], opts: { dryRun?: boolean }, command: Command) => {
      const { url, json, timeout, token } = command.optsWithGlobals<ClientOptions>();
      await run(json === true, (terminal) =>
        callCommand(
          new GatewayClient(gatewayBaseUrl(url), timeout, token),
          operation,
          flags,
          { json: json === true, dryRun: opts.dryRun === true },
          terminal,
        ),
      );
    });

  return client;
}

/** Runs a command, reports a ClientError the way the output mode asks, and exits with its code. */
async function run(json: boolean, command: (terminal: Terminal) => Promise<ExitCode>): Promise<never> {
  const terminal = processTerminal();
  let code: ExitCode;
  try {
    code = await command(terminal);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    if (json) terminal.out(`${JSON.stringify(error.toJson(), null, 2)}\n`);
    else terminal.err(`error: ${error.message}\n`);
    code = error.exitCode;
  }
  // Let stdout drain (a pipe may lag) before exiting; open keep-alive sockets must not hold the process.
  return new Promise<never>(() => process.stdout.write('', () => process.exit(code)));
}
