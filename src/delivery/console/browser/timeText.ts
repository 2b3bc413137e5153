/** "13:05:42": a time of day on the browser's clock, 24-hour. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** "42 s", "3 min 5 s", "1 h 2 min": how long. */
export function lasting(ms: number): string {
  const total = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (h) return `${h} h ${m} min`;
  return m ? `${m} min ${sec} s` : `${sec} s`;
}
