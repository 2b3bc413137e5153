/** The console's stylesheet: system fonts, light and dark, status shown by text as well as colour. */
export const consoleStyle = /* css */ `
:root {
  color-scheme: light dark;
  --fg: #1d1f23; --muted: #5b6270; --bg: #ffffff; --panel: #f5f6f8; --line: #d9dce1;
  --up: #17663a; --up-bg: #dcf3e4; --down: #a11d1d; --down-bg: #fbe3e3; --accent: #2451b3;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6e8eb; --muted: #a3aab5; --bg: #15171a; --panel: #1f2226; --line: #353a41;
    --up: #7fdba0; --up-bg: #173823; --down: #ff9d9d; --down-bg: #471c1c; --accent: #8fb0ff;
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
`;
