/**
 * The console's browser script, plain ES2020 with no dependencies (no CDN, works offline).
 * It follows the change stream with EventSource and renders with DOM calls only (never
 * innerHTML), so subgraph reasons and results cannot inject markup. Kept free of template
 * literals because it lives in one.
 */
export const consoleScript = /* js */ `
'use strict';
(function () {
  var STREAM_URL = 'affordances/stream';
  var GRAPHQL_URL = 'graphql';
  var REFUSED_RETRY_MS = 5000;

  var current = null;
  var selected = null;
  var edited = {};
  var source = null;

  function $(id) { return document.getElementById(id); }

  function h(tag, props) {
    var node = document.createElement(tag);
    if (props) for (var key in props) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else if (key.indexOf('data-') === 0 || key.indexOf('aria-') === 0) node.setAttribute(key, props[key]);
      else node[key] = props[key];
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child == null) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function timeAgo(iso) {
    var seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 60) return seconds + ' s ago';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ago';
    return Math.floor(seconds / 86400) + ' d ago';
  }

  function time(iso) {
    return h('time', { dateTime: iso, title: new Date(iso).toLocaleString(), text: timeAgo(iso) });
  }

  /** "2/3 customers" for every Kubernetes check whose reason states replicas. */
  function replicas(subgraph) {
    var found = [];
    subgraph.checks.forEach(function (check) {
      var m = /deployment (\\S+) has (\\d+) of (\\d+) replicas available/.exec(check.reason);
      if (m) found.push(m[2] + '/' + m[3] + ' ' + m[1]);
    });
    return found.length ? found.join(', ') : '\\u2014';
  }

  function badge(up, upText, downText) {
    return h('span', { className: 'badge ' + (up ? 'up' : 'down'), text: up ? upText : downText });
  }

  function setConnection(state, text) {
    var node = $('connection');
    node.className = 'badge ' + state;
    node.textContent = text;
  }

  function argumentsText(args) {
    if (!args.length) return '\\u2014';
    return args.map(function (a) {
      return a.name + ': ' + a.type + (a.defaultValue != null ? ' = ' + a.defaultValue : '');
    }).join(', ');
  }

  function renderSubgraphs(a) {
    var body = $('subgraphs-body');
    body.replaceChildren.apply(body, a.subgraphs.map(function (s) {
      return h('tr', { 'data-subgraph': s.name, 'data-status': s.available ? 'up' : 'down' },
        h('th', { scope: 'row', className: 'name', text: s.name }),
        h('td', null, badge(s.available, 'up', 'down')),
        h('td', null, time(s.since)),
        h('td', { text: replicas(s) }),
        h('td', { className: 'reason', text: s.reason }));
    }));
    var down = a.subgraphs.filter(function (s) { return !s.available; }).length;
    $('subgraphs-summary').textContent = a.subgraphs.length + ' subgraphs, ' + down + ' down';
  }

  function renderOperations(a) {
    var rows = a.available.map(function (op) {
      return h('tr', { 'data-operation': op.name, 'data-available': 'true' },
        h('th', { scope: 'row', className: 'name' }, h('code', { text: op.name })),
        h('td', { text: op.kind.toLowerCase() }),
        h('td', { text: op.subgraph }),
        h('td', null, h('code', { text: argumentsText(op.arguments) })),
        h('td', null, badge(true, 'available', '')),
        h('td', null, h('button', {
          type: 'button', className: 'secondary', text: 'Try',
          'aria-label': 'Try ' + op.name + ' in the runner',
          onclick: function () { select(op.name); $('variables').focus(); },
        })));
    }).concat(a.unavailable.map(function (op) {
      return h('tr', { className: 'unavailable', 'data-operation': op.name, 'data-available': 'false' },
        h('th', { scope: 'row', className: 'name' }, h('code', { text: op.name })),
        h('td', { text: op.kind.toLowerCase() }),
        h('td', { text: op.subgraph }),
        h('td', null, h('code', { text: argumentsText(op.arguments) })),
        h('td', { className: 'reason' }, badge(false, '', 'unavailable'), ' ', op.reason, ' (', time(op.since), ')'),
        h('td', null, h('button', {
          type: 'button', className: 'secondary', text: 'Try', disabled: true,
          title: op.reason, 'aria-label': op.name + ' is unavailable: ' + op.reason,
        })));
    }));
    var body = $('operations-body');
    body.replaceChildren.apply(body, rows);
    $('operations-summary').textContent = a.available.length + ' available, ' + a.unavailable.length + ' unavailable';
  }

  function findOperation(name) {
    if (!current || name == null) return null;
    var op = current.available.find(function (o) { return o.name === name; });
    if (op) return { op: op, available: true };
    op = current.unavailable.find(function (o) { return o.name === name; });
    return op ? { op: op, available: false } : null;
  }

  /** A starting point for the variables: defaults where the schema has them, else a typed blank. */
  function variablesSkeleton(op) {
    var vars = {};
    op.arguments.forEach(function (arg) {
      if (arg.defaultValue != null) {
        try { vars[arg.name] = JSON.parse(arg.defaultValue); return; } catch (e) { /* an enum or object literal */ }
      }
      var named = arg.type.replace(/[!\\[\\]]/g, '');
      if (arg.type.charAt(0) === '[') vars[arg.name] = [];
      else if (named === 'Int' || named === 'Float') vars[arg.name] = 0;
      else if (named === 'Boolean') vars[arg.name] = false;
      else if (named === 'ID' || named === 'String') vars[arg.name] = '';
      else vars[arg.name] = null;
    });
    return JSON.stringify(vars, null, 2);
  }

  function renderRunner() {
    var picker = $('operation');
    var available = h('optgroup', { label: 'Available' });
    var unavailable = h('optgroup', { label: 'Unavailable' });
    current.available.forEach(function (op) {
      available.appendChild(h('option', { value: op.name, text: op.name + ' (' + op.kind.toLowerCase() + ')' }));
    });
    current.unavailable.forEach(function (op) {
      unavailable.appendChild(h('option', { value: op.name, disabled: true, text: op.name + ' \\u2014 unavailable' }));
    });
    picker.replaceChildren(available);
    if (current.unavailable.length) picker.appendChild(unavailable);
    if (!findOperation(selected)) selected = current.available.length ? current.available[0].name : null;
    picker.value = selected == null ? '' : selected;
    showSelected(false);
  }

  function showSelected(resetVariables) {
    var found = findOperation(selected);
    var run = $('run');
    var note = $('operation-note');
    if (!found) {
      $('document').textContent = '';
      run.disabled = true;
      note.textContent = '';
      return;
    }
    var op = found.op;
    $('description').textContent = op.description || '';
    if (found.available) {
      $('document').textContent = op.example;
      note.textContent = '';
    } else {
      note.textContent = op.name + ' is unavailable: ' + op.reason;
    }
    run.disabled = !found.available;
    var variables = $('variables');
    if (resetVariables || !(op.name in edited)) {
      variables.value = edited[op.name] !== undefined ? edited[op.name] : variablesSkeleton(op);
    }
  }

  function select(name) {
    selected = name;
    $('operation').value = name;
    showSelected(true);
  }

  function render() {
    $('schema').textContent = 'schema ' + current.schemaVersion.slice(0, 12);
    $('updated').replaceChildren('loaded ', time(current.schemaLoadedAt));
    renderSubgraphs(current);
    renderOperations(current);
    renderRunner();
  }

  function run(event) {
    event.preventDefault();
    var found = findOperation(selected);
    if (!found || !found.available) return;
    var output = $('result');
    var status = $('run-status');
    var variables;
    try {
      variables = JSON.parse($('variables').value || '{}');
    } catch (e) {
      status.textContent = 'Variables are not valid JSON: ' + e.message;
      return;
    }
    status.textContent = 'Running ' + found.op.name + '\\u2026';
    $('run').disabled = true;
    fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: found.op.example, variables: variables }),
    }).then(function (response) {
      return response.text().then(function (text) {
        var body;
        try { body = JSON.parse(text); } catch (e) { body = text; }
        var failed = !response.ok || (body && body.errors && body.errors.length);
        status.textContent = (failed ? 'Failed' : 'Done') + ' (HTTP ' + response.status + ')';
        output.textContent = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
        output.setAttribute('data-outcome', failed ? 'error' : 'ok');
      });
    }).catch(function (error) {
      status.textContent = 'Could not reach the gateway: ' + error.message;
      output.setAttribute('data-outcome', 'error');
    }).finally(function () {
      showSelected(false);
    });
  }

  function connect() {
    setConnection('connecting', 'connecting\\u2026');
    source = new EventSource(STREAM_URL);
    source.addEventListener('open', function () { setConnection('live', 'live'); });
    source.addEventListener('affordances', function (event) {
      current = JSON.parse(event.data);
      setConnection('live', 'live');
      render();
    });
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (503: too many streams) or not a stream: the browser gives up, we do not.
        setConnection('closed', 'disconnected; retrying');
        setTimeout(connect, REFUSED_RETRY_MS);
      } else {
        setConnection('connecting', 'reconnecting\\u2026');
      }
    });
  }

  $('operation').addEventListener('change', function (event) { select(event.target.value); });
  $('variables').addEventListener('input', function (event) { if (selected) edited[selected] = event.target.value; });
  $('runner').addEventListener('submit', run);
  setInterval(function () { if (current) document.querySelectorAll('time').forEach(function (node) {
    node.textContent = timeAgo(node.dateTime);
  }); }, 10000);
  connect();
})();
`;
