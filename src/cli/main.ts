#!/usr/bin/env node
import { Command } from 'commander';
import { clientCommand } from '../client/clientCommand.js';
import { gatewayCommand } from './commands/gateway.js';
import { stackCommand } from './commands/stack.js';
import { subgraphCommands } from './commands/subgraphs.js';
import { tokenCommand } from './commands/token.js';

const program = new Command('affordance-gateway')
  .description(
    'Availability-aware GraphQL federation gateway, its demo subgraphs, the local stack, a client and demo tokens',
  )
  .showHelpAfterError();

for (const command of [gatewayCommand(), ...subgraphCommands(), stackCommand(), clientCommand(), tokenCommand()]) {
  program.addCommand(command);
}

await program.parseAsync(process.argv);
