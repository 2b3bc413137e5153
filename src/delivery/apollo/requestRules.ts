import type { ParseOptions, ValidationRule } from 'graphql';
import type { ComplexityLimits } from './complexityLimits.js';
import { knownRootOperationTypeRule } from './knownRootOperationType.js';

/**
 * What every request's document is parsed and validated with, besides graphql-js's
 * specified rules: handed to Apollo Server and to the serving fast path alike, so both
 * find the same documents valid.
 */
export interface RequestRules {
  readonly validationRules: readonly ValidationRule[];
  readonly parseOptions: ParseOptions;
  readonly validationOptions: { readonly maxErrors: number };
}

export function requestRules(limits: ComplexityLimits): RequestRules {
  return {
    validationRules: [knownRootOperationTypeRule, ...limits.validationRules],
    parseOptions: limits.parseOptions,
    validationOptions: limits.validationOptions,
  };
}
