import { $ } from './dom.js';

/** Where the token is kept: this tab's session only, never the URL (nor a cookie, nor localStorage). */
const STORAGE_KEY = 'affordance-gateway:token';

/**
 * The token field: a JWT pasted into the console is kept in sessionStorage (gone when the
 * tab closes) and sent as `Authorization: Bearer …` with the change stream and the runner's
 * requests, so the console shows and runs what this caller may do. `onChange` runs after
 * the token is set or cleared.
 */
export class TokenField {
  private token: string | null;

  constructor(private readonly onChange: () => void) {
    this.token = readStored();
    const input = $<HTMLInputElement>('token');
    input.value = this.token ?? '';
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.set(input.value);
    });
    $('token-clear').addEventListener('click', () => {
      input.value = '';
      this.set('');
    });
  }

  /** The headers that send the token, none without one. */
  headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private set(value: string): void {
    // Pasted with its scheme, or with the line break a terminal adds: the token alone.
    const token = value.trim().replace(/^bearer\s+/i, '') || null;
    this.token = token;
    try {
      if (token) sessionStorage.setItem(STORAGE_KEY, token);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage disabled: the token lasts until the page is reloaded.
    }
    this.onChange();
  }
}

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
