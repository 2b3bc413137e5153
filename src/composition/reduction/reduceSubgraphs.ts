import { print, type DocumentNode } from 'graphql';
import { attemptComposition, type AttributedError, type CandidateSubgraph } from './attemptComposition.js';
import { describeRemoval } from './describeRemoval.js';
import { errorDecisions } from './errorDecisions.js';
import { elementKey } from './schemaElement.js';
import { staticDecisions, type Decision, type KeptSubgraph, type RuleContext } from './staticRules.js';
import { subgraphModel, withoutRemoved, type SubgraphModel } from './subgraphModel.js';
import type {
  AvailableSubgraph,
  CompositionErrorValue,
  DroppedSubgraph,
  ReducedSubgraph,
  ReductionInput,
  ReductionResult,
  Removal,
  RemovalCause,
} from './types.js';
import { withoutElements } from './withoutElements.js';

const DEFAULT_MAX_ROUNDS = 64;

/**
 * Composes the most of the available subgraphs that can be served while some are down,
 * removing from them only what needs a subgraph that is gone (see README.md):
 * 1. The available subgraphs are composed as they are; when they compose, they are
 *    returned unchanged (one composition: the common case).
 * 2. Otherwise static rules over the SDLs remove what needs an unavailable subgraph, and
 *    what needs what was removed, to a fixpoint (staticDecisions).
 * 3. The reduced subgraphs are composed; each error that points at an element (by its AST
 *    nodes or witness query, never its message) removes it, the static rules run again,
 *    and so on; an error that points at no element drops a subgraph whole
 *    (errorDecisions). Every round removes or drops something, and `maxRounds` bounds them.
 *
 * Pure and deterministic: no I/O, the input's order does not matter (subgraphs are taken
 * in name order), and the result is plain data for `postMessage`. Throws on misuse only:
 * a name given twice.
 */
export function reduceSubgraphs(input: ReductionInput): ReductionResult {
  const available = [...input.available].sort((a, b) => compareNames(a.name, b.name));
  const unavailable = [...input.unavailable].sort((a, b) => compareNames(a.name, b.name));
  assertUniqueNames([...available.map((s) => s.name), ...unavailable.map((s) => s.name)]);
  const maxRounds = input.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const established = new Set(input.established ?? []);

  const first = attemptComposition(available.map((s) => ({ name: s.name, url: s.url, document: s.typeDefs })));
  if (first.ok) {
    return {
      outcome: { kind: 'unchanged', supergraphSdl: first.supergraphSdl },
      subgraphs: available.map((s) => ({ name: s.name, url: s.url, changed: false })),
      removed: [],
      dropped: [],
      rounds: 1,
    };
  }

  const state = new ReductionState(
    available,
    unavailable.flatMap((s) => (s.typeDefs ? [subgraphModel(s.name, s.typeDefs)] : [])),
  );
  let rounds = 1;
  let lastErrors: readonly AttributedError[] = first.errors;
  while (state.keptNames().length > 0 && rounds < maxRounds) {
    state.cascade();
    const attempt = attemptComposition(state.candidates());
    rounds++;
    if (attempt.ok) return state.result({ kind: 'reduced', supergraphSdl: attempt.supergraphSdl }, rounds);
    lastErrors = attempt.errors;
    const decisions = errorDecisions(attempt.errors, state.kept(), established);
    if (decisions.some((d) => d.action === 'giveUp')) break;
    let progressed = false;
    for (const decision of decisions) {
      if (decision.action === 'remove') {
        progressed =
          state.remove({
            subgraph: decision.subgraph,
            element: decision.element,
            cause: { rule: 'composition', error: decision.error.error },
          }) || progressed;
      } else if (decision.action === 'drop') {
        progressed = state.drop(decision.subgraph, attempt.errors) || progressed;
      }
    }
    // Each decision names something still there; this guards the bound all the same.
    if (!progressed) state.drop(state.keptNames()[0] ?? '', attempt.errors);
  }
  const errors = lastErrors.map((e) => e.error);
  for (const name of state.keptNames()) state.drop(name, lastErrors);
  return state.result({ kind: 'nothingComposes', errors }, rounds);
}

/** The reduction so far: what each kept subgraph lost, and which subgraphs were dropped. */
class ReductionState {
  private readonly originals: ReadonlyMap<string, { subgraph: AvailableSubgraph; model: SubgraphModel }>;
  private readonly removals = new Map<string, Map<string, Removal>>();
  private readonly droppedSubgraphs: DroppedSubgraph[] = [];
  private readonly droppedModels: SubgraphModel[] = [];

  constructor(
    available: readonly AvailableSubgraph[],
    private readonly down: readonly SubgraphModel[],
  ) {
    this.originals = new Map(available.map((s) => [s.name, { subgraph: s, model: subgraphModel(s.name, s.typeDefs) }]));
    for (const s of available) this.removals.set(s.name, new Map());
  }

  keptNames(): string[] {
    return [...this.removals.keys()];
  }

  kept(): KeptSubgraph[] {
    return this.keptNames().map((name) => {
      const removed = this.removals.get(name)!;
      const original = this.originals.get(name)!.model;
      return { original, current: withoutRemoved(original, new Set(removed.keys())), removed };
    });
  }

  /** Runs the static rules until they find nothing more (each pass only removes). */
  cascade(): void {
    for (;;) {
      const context: RuleContext = {
        kept: this.kept(),
        down: this.down,
        dropped: [...this.droppedModels].sort((a, b) => compareNames(a.name, b.name)),
      };
      let progressed = false;
      for (const decision of staticDecisions(context)) progressed = this.remove(decision) || progressed;
      if (!progressed) return;
    }
  }

  /** Records a removal; false when the element was already removed (or its subgraph dropped). */
  remove(decision: Decision): boolean {
    const removed = this.removals.get(decision.subgraph);
    const key = elementKey(decision.element);
    if (!removed || removed.has(key)) return false;
    const cause: RemovalCause = decision.cause;
    const base = { subgraph: decision.subgraph, ...decision.element, cause };
    removed.set(key, {
      ...base,
      needs: 'needs' in cause ? cause.needs : undefined,
      reason: describeRemoval(base),
    });
    return true;
  }

  /** Leaves a subgraph out whole, with the errors that point at it (all of them if none do). */
  drop(name: string, errors: readonly AttributedError[]): boolean {
    if (!this.removals.delete(name)) return false;
    const own = errors.filter((e) => e.targets.some((t) => t.subgraph === name));
    const reasons: CompositionErrorValue[] = (own.length > 0 ? own : errors).map((e) => e.error);
    this.droppedSubgraphs.push({ name, errors: reasons });
    this.droppedModels.push(this.originals.get(name)!.model);
    return true;
  }

  candidates(): CandidateSubgraph[] {
    return this.keptNames().map((name) => ({ name, url: this.urlOf(name), document: this.documentOf(name) }));
  }

  result(outcome: ReductionResult['outcome'], rounds: number): ReductionResult {
    const subgraphs: ReducedSubgraph[] = this.keptNames().map((name) => {
      const url = this.urlOf(name);
      if (this.removals.get(name)!.size === 0) return { name, url, changed: false };
      return { name, url, changed: true, sdl: print(this.documentOf(name)) };
    });
    return {
      outcome,
      subgraphs,
      removed: [...this.removals.values()].flatMap((removed) => [...removed.values()]),
      dropped: [...this.droppedSubgraphs].sort((a, b) => compareNames(a.name, b.name)),
      rounds,
    };
  }

  private urlOf(name: string): string {
    return this.originals.get(name)!.subgraph.url;
  }

  private documentOf(name: string): DocumentNode {
    return withoutElements(this.originals.get(name)!.subgraph.typeDefs, new Set(this.removals.get(name)!.keys()));
  }
}

function assertUniqueNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new TypeError(`reduceSubgraphs: subgraph "${name}" is given twice`);
    seen.add(name);
  }
}

/** Code-point order, not the locale's: the same everywhere the worker runs. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
