import { createHash } from 'node:crypto';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { RequestRules } from './requestRules.js';

/** A document that parsed and validated against a schema, as Apollo Server would have it. */
export interface PreparedDocument {
  readonly document: DocumentNode;
  /** sha256 of the query text, hex: Apollo Server's `queryHash` (the plan cache is keyed by it). */
  readonly queryHash: string;
}

export interface PreparedDocumentsOptions {
  /** Documents kept per schema. Default 1000. */
  maxDocuments?: number;
  /** Query text kept per schema, in characters (a document's AST is some ten times its text). Default 1 Mi. */
  maxQueryChars?: number;
}

/** Not a document for the fast path: it does not parse, does not validate, or asks for introspection. */
const REFUSED = false;

/**
 * The documents the serving fast path has parsed and validated, per schema, by query
 * text: with the same parse options and validation rules as Apollo Server (`rules`), so
 * a document is prepared exactly when Apollo Server would find it valid. Refusals are
 * remembered too, so a client repeating an invalid document does not cost two parses and
 * validations each time (the fast path's and Apollo Server's). Bounded: an LRU per schema,
 * for the two most recently used schemas (the one served, and the one before a swap).
 */
export class PreparedDocuments {
  private readonly bySchema = new LRUCache<GraphQLSchema, LRUCache<string, PreparedDocument | typeof REFUSED>>({
    max: 2,
  });
  private readonly validationRules: readonly ((context: ValidationContext) => ASTVisitor)[];

  constructor(
    private readonly rules: RequestRules,
    private readonly options: PreparedDocumentsOptions = {},
  ) {
    this.validationRules = [...specifiedRules, ...rules.validationRules, noIntrospectionRule];
  }

  /** The prepared document of `query` on `schema`, or undefined when only Apollo Server may answer it. */
  get(schema: GraphQLSchema, query: string): PreparedDocument | undefined {
    let documents = this.bySchema.get(schema);
    if (!documents) {
      documents = new LRUCache({
        max: this.options.maxDocuments ?? 1000,
        maxSize: this.options.maxQueryChars ?? 1024 * 1024,
        // Larger documents are prepared on every request rather than crowd out all others.
        maxEntrySize: 64 * 1024,
        sizeCalculation: (_value, key) => Math.max(1, key.length),
      });
      this.bySchema.set(schema, documents);
    }
    const known = documents.get(query);
    if (known !== undefined) return known || undefined;
    const prepared = this.prepare(schema, query);
    documents.set(query, prepared ?? REFUSED);
    return prepared;
  }

  private prepare(schema: GraphQLSchema, query: string): PreparedDocument | undefined {
    let document: DocumentNode;
    try {
      document = parse(query, this.rules.parseOptions);
    } catch {
      return undefined;
    }
    if (validate(schema, document, this.validationRules, this.rules.validationOptions).length > 0) return undefined;
    return { document, queryHash: createHash('sha256').update(query).digest('hex') };
  }
}

/**
 * Refuses introspection (`__schema`, `__type`) as a verdict only: such documents are left
 * to Apollo Server, which applies `server.introspection` to them (its own rule).
 */
function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const name = node.name.value;
      if (name === '__schema' || name === '__type')
        context.reportError(new GraphQLError('introspection', { nodes: node }));
    },
  };
}
