/** The console's stylesheet: system fonts, light and dark, status shown by text as well as colour. */
export const consoleStyle = /* css */ `
:root {
  color-scheme: light dark;
  --fg: #1d1f23; --muted: #5b6270; --bg: #ffffff; --panel: #f5f6f8; --line: #d9dce1;
  --up: #17663a; --up-bg: #dcf3e4; --down: #a11d1d; --down-bg: #fbe3e3; --accent: #2451b3;
  --roll: #7a4f00; --roll-bg: #fbe9c4; --band-up: #5fb97f; --band-down: #d64545; --band-roll: #e0a93b;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6e8eb; --muted: #a3aab5; --bg: #15171a; --panel: #1f2226; --line: #353a41;
    --up: #7fdba0; --up-bg: #173823; --down: #ff9d9d; --down-bg: #471c1c; --accent: #8fb0ff;
    --roll: #f3c46b; --roll-bg: #43330f; --band-up: #2f7d4c; --band-down: #c94141; --band-roll: #b5842a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 1.1rem; margin: 0; }
main { padding: 0 1.25rem 2rem; max-width: 80rem; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
.muted { color: var(--muted); }
code, pre, textarea { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-weight: 600; white-space: nowrap; }
.badge.up, .badge.live { color: var(--up); background: var(--up-bg); }
.badge.down, .badge.closed { color: var(--down); background: var(--down-bg); }
.badge.connecting { color: var(--muted); background: var(--panel); border: 1px solid var(--line); }
tr.unavailable td { color: var(--muted); }
tr.unavailable .name { text-decoration: line-through; }
.reason { max-width: 40rem; overflow-wrap: anywhere; }
button { font: inherit; padding: .25rem .8rem; border-radius: .3rem; border: 1px solid var(--accent); background: var(--accent); color: var(--bg); cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button:disabled { opacity: .45; cursor: not-allowed; }
button:focus-visible, select:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
#runner { display: grid; gap: .6rem; background: var(--panel); border: 1px solid var(--line); border-radius: .4rem; padding: 1rem; }
#runner label, #runner .label { font-weight: 600; display: block; margin-bottom: .2rem; }
#token-form { margin-left: auto; gap: .4rem; }
#token-form label { font-weight: 600; }
#token { width: 20rem; max-width: 100%; }
code.kind { font-size: 11px; }
select, textarea, input { width: 100%; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: .3rem; padding: .35rem; }
textarea { min-height: 6rem; resize: vertical; }
pre { margin: 0; padding: .6rem; background: var(--bg); border: 1px solid var(--line); border-radius: .3rem; overflow: auto; max-height: 24rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.note { margin: 0; color: var(--down); }
.note:empty { display: none; }
.row { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
#view-filter { margin-top: 1rem; gap: .5rem; }
#view-filter input[type=search] { width: 18rem; }
#interval-presets { margin-bottom: .5rem; gap: .5rem; }
#timeline-span { width: auto; }
label.check { display: inline-flex; gap: .3rem; align-items: center; }
label.check input { width: auto; }
h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
.legend { margin: 0 0 .4rem; font-size: 12.5px; gap: .4rem; }
.key { display: inline-block; padding: 0 .35rem; border-radius: .25rem; }
.key.up { color: var(--up); background: var(--up-bg); }
.key.down { color: var(--down); background: var(--down-bg); }
.key.rolling, .key.short { color: var(--roll); background: var(--roll-bg); }
.picture { overflow: auto; max-height: 30rem; border: 1px solid var(--line); border-radius: .3rem; padding: .4rem; background: var(--panel); }
.picture svg, #timeline-axis svg { display: block; font: 11px system-ui, sans-serif; }
#timeline-axis { padding: 0 .4rem; }
#timeline-axis text { fill: var(--muted); }
#timeline-axis .tick { stroke: var(--muted); }
.node rect { stroke-width: 1.2; }
.node text { fill: var(--fg); }
.node.up rect { fill: var(--up-bg); stroke: var(--up); }
.node.down rect { fill: var(--down-bg); stroke: var(--down); stroke-width: 2; }
.node.rolling rect, .node.short rect { fill: var(--roll-bg); stroke: var(--roll); }
.node.backend rect { rx: 9px; }
.edge { fill: none; stroke: var(--muted); stroke-opacity: .55; stroke-width: 1.4; }
.edge.down { stroke: var(--down); stroke-dasharray: 4 3; }
svg.focused .node:not(.related) { opacity: .3; }
svg.focused .edge.related { stroke: var(--accent); stroke-width: 2; }
.lane-label { fill: var(--fg); }
.lane-bg { fill: var(--bg); }
.band.up { fill: var(--band-up); }
.band.down { fill: var(--band-down); }
.band.rolling { fill: var(--band-roll); }
#timeline svg { cursor: crosshair; touch-action: none; user-select: none; }
.selection { fill: var(--accent); fill-opacity: .18; stroke: var(--accent); pointer-events: none; }
`;
