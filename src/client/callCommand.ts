import type { AffordancesJson, AvailableOperationJson } from './affordancesJson.js';
import { ClientError } from './clientError.js';
import { coerceArguments } from './coerceArguments.js';
import { ExitCode } from './exitCodes.js';
import type { GatewayClient, GraphQLResponseJson } from './gatewayClient.js';
import { parseOperationFlags } from './operationFlags.js';
import { formatTime } from './renderAffordances.js';
import { renderResult } from './renderResult.js';
import type { Terminal } from './terminal.js';
import { introspectionTypeLookup } from './typeLookup.js';

export interface CallOptions {
  readonly json: boolean;
  /** Print the document and variables instead of sending them. */
  readonly dryRun: boolean;
}

const UNAVAILABLE = 'OPERATION_UNAVAILABLE';

/**
 * `client call NAME --arg value…`: runs an operation the gateway affords now, built from
 * its affordance (the example document, the flags as typed variables). An unavailable
 * operation is refused with the reason and never sent.
 */
export async function callCommand(
  client: GatewayClient,
  name: string,
  flagTokens: readonly string[],
  options: CallOptions,
  terminal: Terminal,
): Promise<ExitCode> {
  const flags = parseOperationFlags(flagTokens);
  const operation = findOperation(await client.affordances(), name);
  const variables = await coerceArguments(operation, flags, introspectionTypeLookup(client));
  if (options.dryRun) {
    terminal.out(
      options.json
        ? `${JSON.stringify({ query: operation.example, variables }, null, 2)}\n`
        : `${operation.example}\n\nvariables: ${JSON.stringify(variables)}\n`,
    );
    return ExitCode.OK;
  }
  const response = await client.execute(operation.example, variables);
  const errors = response.errors ?? [];
  if (options.json) terminal.out(`${JSON.stringify(response, null, 2)}\n`);
  else printHuman(response, operation, terminal);
  if (!errors.length) return ExitCode.OK;
  return errors.some((e) => e.extensions?.code === UNAVAILABLE) ? ExitCode.UNAVAILABLE : ExitCode.FAILED;
}

function findOperation(affordances: AffordancesJson, name: string): AvailableOperationJson {
  const available = affordances.available.find((op) => op.name === name);
  if (available) return available;
  const unavailable = affordances.unavailable.find((op) => op.name === name);
  if (unavailable) {
    throw new ClientError(
      `${name} is unavailable: ${unavailable.reason} (since ${formatTime(unavailable.since)}). ` +
        'It was not sent. `affordance-gateway client list` shows what can be called now.',
      ExitCode.UNAVAILABLE,
      UNAVAILABLE,
      {
        operation: name,
        subgraph: unavailable.subgraph,
        reason: unavailable.reason,
        since: unavailable.since,
        sent: false,
      },
    );
  }
  const names = affordances.available.map((op) => op.name).sort();
  const near = names.find((n) => n.toLowerCase() === name.toLowerCase());
  throw new ClientError(
    `unknown operation "${name}"` +
      (near ? `; did you mean ${near}?` : `; available now: ${names.join(', ') || 'none'}`),
    ExitCode.USAGE,
    'UNKNOWN_OPERATION',
    { operation: name },
  );
}

function printHuman(response: GraphQLResponseJson, operation: AvailableOperationJson, terminal: Terminal): void {
  const value = response.data?.[operation.name];
  if (response.data && (value !== null || !response.errors?.length)) {
    terminal.out(`${renderResult(value, terminal.width)}\n`);
  }
  for (const error of response.errors ?? []) {
    const code = typeof error.extensions?.code === 'string' ? ` [${error.extensions.code}]` : '';
    terminal.err(`error: ${operation.name} failed: ${error.message}${code}\n`);
  }
}
