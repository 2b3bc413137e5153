import { ClientError } from './clientError.js';
import { ExitCode } from './exitCodes.js';
import type { GatewayClient } from './gatewayClient.js';
import { HISTORY_QUERY, type HistoryJson } from './historyJson.js';
import { renderHistory } from './renderHistory.js';
import type { Terminal } from './terminal.js';

export interface HistoryOptions {
  readonly json: boolean;
  /** A duration back from now (1h, 15m) or an RFC 3339 time; the gateway checks it. */
  readonly since?: string;
  readonly subgraph?: string;
}

/**
 * `client history`: the gateway's record of subgraph transitions, as sparklines and a
 * table, or with --json the `affordances { history }` answer as it is.
 */
export async function historyCommand(
  client: GatewayClient,
  options: HistoryOptions,
  terminal: Terminal,
): Promise<ExitCode> {
  const result = await client.execute(HISTORY_QUERY, {
    ...(options.since !== undefined && { since: options.since }),
    ...(options.subgraph !== undefined && { subgraph: options.subgraph }),
  });
  const affordances = result.data?.affordances as { history?: HistoryJson } | null | undefined;
  const history = affordances?.history;
  if (!history) {
    const error = result.errors?.[0];
    const badInput = error?.extensions?.code === 'BAD_USER_INPUT';
    throw new ClientError(
      `the gateway at ${client.baseUrl} did not answer the history query: ${result.errors?.map((e) => e.message).join('; ') ?? 'no data'}`,
      badInput ? ExitCode.USAGE : ExitCode.FAILED,
      badInput ? 'BAD_USER_INPUT' : 'HISTORY_FAILED',
    );
  }
  terminal.out(
    options.json
      ? `${JSON.stringify(history, null, 2)}\n`
      : `${renderHistory(history, { width: terminal.width, nowMs: Date.now() })}\n`,
  );
  return ExitCode.OK;
}
