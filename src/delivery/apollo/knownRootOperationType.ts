import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { ROOT_TYPE_NAMES } from '../../composition/fieldCatalog.js';

/**
 * Rejects at validation an operation whose root type the schema does not have (a
 * mutation once no subgraph with mutations is composed). graphql-js 16 validates no such
 * thing and execution would fail with a 500; this makes it a 400 that the
 * OPERATION_UNAVAILABLE plugin can explain when a down subgraph has that root type.
 */
export function knownRootOperationTypeRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const schema = context.getSchema();
      if (schema.getRootType(node.operation)) return;
      context.reportError(
        new GraphQLError(
          `the schema has no ${ROOT_TYPE_NAMES[node.operation]} type, so no ${node.operation} can run now; ` +
            'query `affordances` for what can be called',
          { nodes: node },
        ),
      );
    },
  };
}
