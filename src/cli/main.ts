#!/usr/bin/env node
import { Command } from 'commander';
import { clientCommand } from '../client/clientCommand.js';
import { gatewayCommand } from './commands/gateway.js';
import { stackCommand } from './commands/stack.js';
import { subgraphCommands } from './commands/subgraphs.js';

const program = new Command('affordance-gateway')
  .description('Availability-aware GraphQL federation gateway, its demo subgraphs, the local stack and a client')
  .showHelpAfterError();

for (const command of [gatewayCommand(), ...subgraphCommands(), stackCommand(), clientCommand()]) {
  program.addCommand(command);
}

await program.parseAsync(process.argv);
