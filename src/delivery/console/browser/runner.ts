import type { AffordancesJson, OperationJson } from './affordancesJson.js';
import { $, h } from './dom.js';

const GRAPHQL_URL = 'graphql';

interface Found {
  readonly op: OperationJson;
  readonly available: boolean;
}

/** A starting point for the variables: defaults where the schema has them, else a typed blank. */
function variablesSkeleton(op: OperationJson): string {
  const vars: Record<string, unknown> = {};
  for (const arg of op.arguments) {
    if (arg.defaultValue != null) {
      try {
        vars[arg.name] = JSON.parse(arg.defaultValue);
        continue;
      } catch {
        // an enum or object literal
      }
    }
    const named = arg.type.replace(/[![\]]/g, '');
    if (arg.type.startsWith('[')) vars[arg.name] = [];
    else if (named === 'Int' || named === 'Float') vars[arg.name] = 0;
    else if (named === 'Boolean') vars[arg.name] = false;
    else if (named === 'ID' || named === 'String') vars[arg.name] = '';
    else vars[arg.name] = null;
  }
  return JSON.stringify(vars, null, 2);
}

/**
 * The runner form: pick an operation, edit its variables (kept per operation while the
 * page is open), run its example document against the gateway and show the response.
 */
export class Runner {
  private current: AffordancesJson | null = null;
  private selected: string | null = null;
  private readonly edited = new Map<string, string>();

  /** `authHeaders`: the caller's token, sent with every run. */
  constructor(private readonly authHeaders: () => Record<string, string>) {
    $<HTMLSelectElement>('operation').addEventListener('change', (event) =>
      this.select((event.target as HTMLSelectElement).value),
    );
    $('variables').addEventListener('input', (event) => {
      if (this.selected) this.edited.set(this.selected, (event.target as HTMLTextAreaElement).value);
    });
    $('runner').addEventListener('submit', (event) => void this.run(event));
  }

  /** Shows the operations of new affordances, keeping the selection when it still exists. */
  show(affordances: AffordancesJson): void {
    this.current = affordances;
    const picker = $<HTMLSelectElement>('operation');
    const available = h('optgroup', { label: 'Available' });
    const unavailable = h('optgroup', { label: 'Unavailable' });
    for (const op of affordances.available) {
      available.append(h('option', { value: op.name, text: `${op.name} (${op.kind.toLowerCase()})` }));
    }
    for (const op of affordances.unavailable) {
      unavailable.append(h('option', { value: op.name, disabled: true, text: `${op.name} \u2014 unavailable` }));
    }
    picker.replaceChildren(available);
    if (affordances.unavailable.length) picker.append(unavailable);
    if (!this.find(this.selected)) this.selected = affordances.available[0]?.name ?? null;
    picker.value = this.selected ?? '';
    this.showSelected(false);
  }

  select(name: string): void {
    this.selected = name;
    $<HTMLSelectElement>('operation').value = name;
    this.showSelected(true);
  }

  private find(name: string | null): Found | null {
    if (!this.current || name == null) return null;
    const available = this.current.available.find((o) => o.name === name);
    if (available) return { op: available, available: true };
    const unavailable = this.current.unavailable.find((o) => o.name === name);
    return unavailable ? { op: unavailable, available: false } : null;
  }

  private showSelected(resetVariables: boolean): void {
    const found = this.find(this.selected);
    const run = $<HTMLButtonElement>('run');
    const note = $('operation-note');
    if (!found) {
      $('document').textContent = '';
      run.disabled = true;
      note.textContent = '';
      return;
    }
    const { op } = found;
    $('description').textContent = op.description ?? '';
    if ('example' in op) {
      $('document').textContent = op.example;
      note.textContent = '';
    } else {
      note.textContent = `${op.name} is unavailable: ${op.reason}`;
    }
    run.disabled = !found.available;
    const variables = $<HTMLTextAreaElement>('variables');
    if (resetVariables || !this.edited.has(op.name)) {
      variables.value = this.edited.get(op.name) ?? variablesSkeleton(op);
    }
  }

  private async run(event: Event): Promise<void> {
    event.preventDefault();
    const found = this.find(this.selected);
    if (!found || !('example' in found.op)) return;
    const { op } = found;
    const output = $('result');
    const status = $('run-status');
    let variables: unknown;
    try {
      variables = JSON.parse($<HTMLTextAreaElement>('variables').value || '{}');
    } catch (error) {
      status.textContent = `Variables are not valid JSON: ${(error as Error).message}`;
      return;
    }
    status.textContent = `Running ${op.name}\u2026`;
    $<HTMLButtonElement>('run').disabled = true;
    try {
      const response = await fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { ...this.authHeaders(), 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: op.example, variables }),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const errors = (body as { errors?: unknown[] } | null)?.errors;
      const failed = !response.ok || (Array.isArray(errors) && errors.length > 0);
      status.textContent = `${failed ? 'Failed' : 'Done'} (HTTP ${response.status})`;
      output.textContent = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
      output.setAttribute('data-outcome', failed ? 'error' : 'ok');
    } catch (error) {
      status.textContent = `Could not reach the gateway: ${(error as Error).message}`;
      output.setAttribute('data-outcome', 'error');
    } finally {
      this.showSelected(false);
    }
  }
}
