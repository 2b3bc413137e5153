import type { AffordancesJson } from './affordancesJson.js';
import { $ } from './dom.js';

/** Whom the affordances shown are for: "as: anonymous", "as: token, scopes invoices:write". */
export function renderCaller({ caller }: AffordancesJson): void {
  const node = $('caller');
  node.dataset.caller = !caller ? 'anyone' : caller.authenticated ? 'token' : 'anonymous';
  if (!caller) node.textContent = 'as: anyone (authorization is off)';
  else if (!caller.authenticated) node.textContent = 'as: anonymous';
  else if (!caller.scopes.length) node.textContent = 'as: token, no scopes the schema requires';
  else node.textContent = `as: token, scopes ${caller.scopes.join(' ')}`;
}

/** The token was refused (401): what is shown is no caller's view any more. */
export function renderRefusedCaller(): void {
  const node = $('caller');
  node.dataset.caller = 'refused';
  node.textContent = 'as: nobody (the token was refused)';
}
