import type { Decision } from '../reduction/staticRules.js';
import type { SubgraphModel } from '../reduction/subgraphModel.js';

/**
 * A removal the reduction's static rules decided on the base version, in the words of
 * the version differences: what it needed, which is left out. `roots` are the root
 * operation types, whose fields are named `root field`.
 */
export function cascadeDetail(decision: Decision, base: SubgraphModel, roots: ReadonlySet<string>): string {
  const { element, cause } = decision;
  const coordinate = element.coordinate;
  const needs = 'needs' in cause ? cause.needs.coordinate : undefined;
  const leftOut = `${needs}, which is left out`;
  const [type = '', rest = ''] = coordinate.split(/[.\s]/, 2);
  const fieldName = rest.replace(/\(.*$/, '');
  const fieldWord = (t: string) => (roots.has(t) ? 'root field' : 'field');
  switch (cause.rule) {
    case 'emptied':
      return `type ${coordinate} has nothing left that every version has`;
    case 'key':
      return `type ${coordinate} mentions ${leftOut}`;
    case 'requires':
      return `${fieldWord(type)} ${coordinate} requires ${leftOut}`;
    case 'provides':
      return `the @provides of ${fieldWord(type)} ${type}.${fieldName} mentions ${leftOut}`;
    case 'typeGone':
      break;
    default:
      return `${coordinate} needs ${needs === undefined ? 'what is left out' : leftOut}`;
  }
  const model = base.types.get(type);
  switch (element.kind) {
    case 'field': {
      const field = model?.fields.find((f) => f.name === fieldName);
      if (field?.type === needs) return `${fieldWord(type)} ${coordinate} returns type ${leftOut}`;
      const arg = field?.args.find((a) => a.nonNull && a.type === needs);
      return `${fieldWord(type)} ${coordinate} takes the required argument ${arg?.name} of type ${leftOut}`;
    }
    case 'argument': {
      const arg = /\((\w+):\)$/.exec(coordinate)?.[1];
      return `argument ${arg} of ${fieldWord(type)} ${type}.${fieldName} has type ${leftOut}`;
    }
    case 'type': {
      const input = model?.inputFields.find((f) => f.nonNull && f.type === needs);
      return `input field ${type}.${input?.name} is required and has type ${leftOut}`;
    }
    case 'inputField':
      return `input field ${coordinate} has type ${leftOut}`;
    case 'implements':
      return `type ${type} implements ${leftOut}`;
    case 'unionMember':
      return `union ${type} has member ${leftOut}`;
    default:
      return `${coordinate} needs ${leftOut}`;
  }
}
