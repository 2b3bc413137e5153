import type { AffordancesJson } from './affordancesJson.js';
import { ExitCode } from './exitCodes.js';
import { followChangeStream } from './followChangeStream.js';
import type { GatewayClient } from './gatewayClient.js';
import { formatTime, renderAffordances } from './renderAffordances.js';
import { CLEAR_SCREEN, type Terminal } from './terminal.js';

export interface ListOptions {
  readonly json: boolean;
  readonly watch: boolean;
  /** Ends --watch (Ctrl-C); the command then exits 0. */
  readonly signal: AbortSignal;
}

/**
 * `client list`: what can be called now. With --watch it follows the change stream: on a
 * terminal it redraws in place; into a pipe it prints each new state after the previous one
 * (a table per change, or with --json one JSON object per line), so scripts can follow it.
 */
export async function listCommand(client: GatewayClient, options: ListOptions, terminal: Terminal): Promise<ExitCode> {
  const render = (affordances: AffordancesJson) =>
    renderAffordances(affordances, { url: client.baseUrl, width: terminal.width, color: terminal.color });
  if (!options.watch) {
    const affordances = await client.affordances();
    terminal.out(options.json ? `${JSON.stringify(affordances, null, 2)}\n` : `${render(affordances)}\n`);
    return ExitCode.OK;
  }

  let last: AffordancesJson | undefined;
  let banner = '';
  let printed = '';
  const now = () => formatTime(new Date().toISOString());
  const redraw = () => {
    if (!last) return;
    const footer = `watching ${client.baseUrl}/affordances/stream · Ctrl-C stops`;
    terminal.out(`${CLEAR_SCREEN}${banner ? `${banner}\n\n` : ''}${render(last)}\n\n${footer}\n`);
  };
  const stopResize = terminal.tty && !options.json ? terminal.onResize(redraw) : () => {};
  try {
    await followChangeStream(
      client.baseUrl,
      {
        onAffordances: (affordances) => {
          last = affordances;
          if (options.json) terminal.out(`${JSON.stringify(affordances)}\n`);
          else if (terminal.tty) {
            banner = '';
            redraw();
          } else {
            // Into a pipe, print a view only when it differs from the last one printed.
            const view = render(affordances);
            if (view !== printed) terminal.out(`--- ${now()} ---\n${view}\n\n`);
            printed = view;
          }
        },
        onDisconnected: (detail) => {
          const message = `gateway unreachable at ${now()}: ${detail}`;
          if (terminal.tty && !options.json && last) {
            banner = `!! ${message}; showing the last known state`;
            redraw();
          } else terminal.err(`${message}\n`);
        },
        onReconnected: () => {
          if (terminal.tty && !options.json) {
            // An unchanged state is not sent again, so clear the banner here.
            banner = '';
            redraw();
          } else terminal.err(`reconnected at ${now()}\n`);
        },
      },
      { signal: options.signal, headers: client.authHeaders },
    );
  } finally {
    stopResize();
  }
  return ExitCode.OK;
}
