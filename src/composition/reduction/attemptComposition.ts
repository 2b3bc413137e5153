import { compose, extractValidationError } from '@apollo/composition';
import {
  buildSubgraph,
  errorCauses,
  Subgraphs,
  type Operation,
  type Selection,
  type SelectionSet,
} from '@apollo/federation-internals';
import type { DocumentNode, GraphQLError } from 'graphql';
import { ElementIndex } from './elementIndex.js';
import type { CompositionErrorValue, SchemaElement } from './types.js';

/** A subgraph handed to composition: its document parsed from a source named after it. */
export interface CandidateSubgraph {
  readonly name: string;
  readonly url: string;
  readonly document: DocumentNode;
}

/** Where an error points: a subgraph, and the element of it when the node names one. */
export interface ErrorTarget {
  readonly subgraph: string;
  readonly element: SchemaElement | undefined;
}

/** A composition error with what it points at, read from its structure only. */
export interface AttributedError {
  readonly error: CompositionErrorValue;
  /** From the error's AST nodes, in their order. */
  readonly targets: readonly ErrorTarget[];
  /**
   * For a satisfiability error: the field coordinates of the query composition could not
   * plan, root first (the last one is the field that cannot be reached).
   */
  readonly unsatisfiablePath: readonly string[] | undefined;
}

export type Attempt =
  | { readonly ok: true; readonly supergraphSdl: string }
  | { readonly ok: false; readonly errors: readonly AttributedError[] };

/**
 * Validates each subgraph and composes them, returning the errors with the elements their
 * nodes belong to. Subgraphs that do not validate are reported all at once (composition
 * needs every one built).
 */
export function attemptComposition(subgraphs: readonly CandidateSubgraph[]): Attempt {
  // Indexed only when something fails: the common case composes and needs none.
  let indexes: ElementIndex[] | undefined;
  const attribute = (error: GraphQLError, subgraph?: string): AttributedError => ({
    error: errorValue(error),
    targets: targets(error, (indexes ??= subgraphs.map((s) => new ElementIndex(s.name, s.document))), subgraph),
    unsatisfiablePath: unsatisfiablePath(error),
  });
  const set = new Subgraphs();
  const buildErrors: AttributedError[] = [];
  for (const subgraph of subgraphs) {
    try {
      set.add(buildSubgraph(subgraph.name, subgraph.url, subgraph.document));
    } catch (error) {
      const causes = errorCauses(error as Error) ?? [];
      if (causes.length === 0) {
        buildErrors.push({
          error: { code: 'INVALID_SUBGRAPH', message: String((error as Error).message ?? error) },
          targets: [{ subgraph: subgraph.name, element: undefined }],
          unsatisfiablePath: undefined,
        });
      }
      for (const cause of causes) buildErrors.push(attribute(cause, subgraph.name));
    }
  }
  if (buildErrors.length > 0) return { ok: false, errors: buildErrors };
  const result = compose(set);
  if (result.errors) return { ok: false, errors: result.errors.map((e) => attribute(e)) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}

export function errorValue(error: GraphQLError): CompositionErrorValue {
  const code = error.extensions?.['code'];
  return { code: typeof code === 'string' ? code : 'UNKNOWN', message: error.message };
}

function targets(error: GraphQLError, indexes: readonly ElementIndex[], subgraph?: string): ErrorTarget[] {
  const found: ErrorTarget[] = [];
  for (const node of error.nodes ?? []) {
    const index = indexes.find((i) => i.elementOf(node)) ?? indexes.find((i) => i.subgraph === node.loc?.source.name);
    if (index) found.push({ subgraph: index.subgraph, element: index.elementOf(node) });
  }
  // A subgraph's own validation error belongs to it even when its nodes name nothing.
  if (found.length === 0 && subgraph !== undefined) found.push({ subgraph, element: undefined });
  return found;
}

function unsatisfiablePath(error: GraphQLError): string[] | undefined {
  const validation = extractValidationError(error);
  if (!validation) return undefined;
  const path: string[] = [];
  collectPath(validation.witness, path);
  return path;
}

/** The witness query is one chain of selections: its fields, root first. */
function collectPath(witness: Operation, into: string[]): void {
  let selectionSet: SelectionSet | undefined = witness.selectionSet;
  while (selectionSet) {
    const selection: Selection | undefined = selectionSet.selections()[0];
    if (!selection) return;
    if (selection.kind === 'FieldSelection') into.push(selection.element.definition.coordinate);
    selectionSet = selection.selectionSet;
  }
}
