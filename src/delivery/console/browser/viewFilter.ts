import { $ } from './dom.js';

/**
 * The filter over the graph and the timeline, for when there are many subgraphs: a name
 * contains the text typed, and with "only problems" the subgraph is not up now or was not
 * for all of the last hour.
 */
export class ViewFilter {
  private text = '';
  private problemsOnly = false;

  constructor(onChange: () => void) {
    const input = $<HTMLInputElement>('filter');
    const problems = $<HTMLInputElement>('problems-only');
    input.addEventListener('input', () => {
      this.text = input.value.trim().toLowerCase();
      onChange();
    });
    problems.addEventListener('change', () => {
      this.problemsOnly = problems.checked;
      onChange();
    });
  }

  shows(subgraph: string, problem: boolean): boolean {
    return subgraph.toLowerCase().includes(this.text) && (!this.problemsOnly || problem);
  }
}
