import type { AffordancesJson } from './affordancesJson.js';
import { $ } from './dom.js';

const STREAM_URL = 'affordances/stream';
/** After a refusal (503: too many streams) the browser gives up; the console tries again this much later. */
const REFUSED_RETRY_MS = 5000;

function setConnection(state: 'connecting' | 'live' | 'closed', text: string): void {
  const node = $('connection');
  node.className = `badge ${state}`;
  node.textContent = text;
}

/** Follows the change stream with EventSource, showing the connection state; every event is the whole state. */
export function followChangeStream(onAffordances: (affordances: AffordancesJson) => void): void {
  setConnection('connecting', 'connecting\u2026');
  const source = new EventSource(STREAM_URL);
  source.addEventListener('open', () => setConnection('live', 'live'));
  source.addEventListener('affordances', (event) => {
    const affordances = JSON.parse((event as MessageEvent<string>).data) as AffordancesJson;
    setConnection('live', 'live');
    onAffordances(affordances);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // Refused or not a stream: the browser gives up, we do not.
      setConnection('closed', 'disconnected; retrying');
      setTimeout(() => followChangeStream(onAffordances), REFUSED_RETRY_MS);
    } else {
      setConnection('connecting', 'reconnecting\u2026');
    }
  });
}
