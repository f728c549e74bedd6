/**
 * The TWCManager-style web page: self-contained (no CDN, many homes and our test machines are offline),
 * every value from the bus written with textContent, readable on a phone. It talks to the /api routes of
 * the flow, relative to where it is served, so it works on `/` of the dedicated port and `/twc` of
 * Node-RED's port (under any httpNodeRoot).
 */
export const TWC_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TWC Manager</title>
<style>
  :root { --fg:#1d2430; --muted:#5b6575; --bg:#f4f6f9; --card:#fff; --accent:#c8102e; --ok:#1a7f37; --line:#dde2ea; }
  * { box-sizing: border-box; }
  body { margin:0; font:15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
  header { background:#222b38; color:#fff; padding:.7rem 1rem; display:flex; justify-content:space-between; align-items:center; flex-wrap:wrap; gap:.5rem; }
  header h1 { font-size:1.15rem; margin:0; }
  #updated { font-size:.8rem; opacity:.8; }
  main { max-width:980px; margin:0 auto; padding:1rem; display:grid; grid-template-columns:minmax(0, 1fr); gap:1rem; }
  section { min-width:0; }
  section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:1rem; }
  h2 { font-size:1rem; margin:0 0 .6rem; }
  .tiles { display:grid; grid-template-columns:repeat(auto-fit, minmax(140px, 1fr)); gap:.6rem; }
  .tile { border:1px solid var(--line); border-radius:8px; padding:.5rem .7rem; }
  .tile .label { color:var(--muted); font-size:.8rem; }
  .tile .value { font-size:1.25rem; font-weight:600; overflow-wrap:anywhere; }
  .policy.green .value { color:var(--ok); }
  .table-wrap { overflow-x:auto; }
  table { border-collapse:collapse; width:100%; font-size:.9rem; }
  th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); white-space:nowrap; }
  th { color:var(--muted); font-weight:600; }
  form, .buttons { display:flex; flex-wrap:wrap; gap:.6rem; align-items:flex-end; }
  label { display:flex; flex-direction:column; font-size:.85rem; color:var(--muted); gap:.2rem; }
  input, select { font:inherit; padding:.45rem .5rem; border:1px solid #b9c1cd; border-radius:6px; min-width:7rem; }
  button { font:inherit; padding:.5rem .9rem; border-radius:6px; border:1px solid #8a94a3; background:#fff; cursor:pointer; }
  button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
  button:disabled { opacity:.5; cursor:default; }
  #message { min-height:1.3em; margin:.6rem 0 0; }
  #message.error { color:var(--accent); }
  #token-box { display:none; }
  .empty { color:var(--muted); }
</style>
</head>
<body>
<header>
  <h1>TWC Manager</h1>
  <span id="updated">connecting…</span>
</header>
<main>
  <section>
    <h2>Status</h2>
    <div class="tiles">
      <div class="tile policy" id="policy-tile"><div class="label">Policy</div><div class="value" id="currentPolicy">–</div></div>
      <div class="tile"><div class="label">Amps to share</div><div class="value" id="maxAmps">–</div></div>
      <div class="tile"><div class="label">Amps offered</div><div class="value" id="ampsOffered">–</div></div>
      <div class="tile"><div class="label">Charger load</div><div class="value" id="chargerLoad">–</div></div>
      <div class="tile"><div class="label">Cars charging</div><div class="value" id="carsCharging">–</div></div>
      <div class="tile"><div class="label">Generation</div><div class="value" id="generation">–</div></div>
      <div class="tile"><div class="label">Consumption</div><div class="value" id="consumption">–</div></div>
      <div class="tile"><div class="label">Charge now</div><div class="value" id="chargeNow">–</div></div>
      <div class="tile"><div class="label">Green window</div><div class="value" id="greenWindow">–</div></div>
    </div>
  </section>
  <section>
    <h2>Wall Connectors</h2>
    <div class="table-wrap">
      <table>
        <thead><tr><th>TWC</th><th>State</th><th>Offered A</th><th>In use A</th><th>Max A</th><th>kWh</th><th>Volts</th><th>VIN</th><th>Last heard</th></tr></thead>
        <tbody id="twcs"><tr><td colspan="9" class="empty">no Wall Connector answering yet</td></tr></tbody>
      </table>
    </div>
  </section>
  <section>
    <h2>Charge now</h2>
    <form id="charge-form">
      <label>Amps <input id="rate" name="rate" type="number" min="1" max="80" step="1" value="16" required></label>
      <label>Duration
        <select id="duration" name="duration">
          <option value="1800">30 min</option><option value="3600" selected>1 hour</option><option value="7200">2 hours</option>
          <option value="14400">4 hours</option><option value="28800">8 hours</option><option value="43200">12 hours</option>
          <option value="86400">24 hours</option>
        </select>
      </label>
      <button type="submit" class="primary" id="charge-submit">Charge now</button>
      <button type="button" id="cancel">Cancel charge now</button>
    </form>
    <div class="buttons" style="margin-top:.6rem">
      <button type="button" id="start">Start all charging</button>
      <button type="button" id="stop">Stop all charging</button>
    </div>
    <div id="token-box">
      <form id="token-form" style="margin-top:.6rem">
        <label>API token <input id="token" type="password" autocomplete="current-password"></label>
        <button type="submit">Use token</button>
      </form>
    </div>
    <p id="message" role="status"></p>
  </section>
</main>
<script>
(function () {
  'use strict';
  var STATES = { 0: 'ready', 1: 'charging', 2: 'error', 3: 'plugged in, not charging', 4: 'plugged in, ready',
    5: 'busy', 8: 'starting', 10: 'adjusting amps' };
  var REFRESH_MS = 2000;
  function $(id) { return document.getElementById(id); }
  function setText(id, text) { $(id).textContent = text; }
  function num(v) { var n = parseFloat(v); return isFinite(n) ? n : 0; }
  function token() { try { return localStorage.getItem('twcApiToken') || ''; } catch (e) { return ''; } }
  function say(text, isError) { var m = $('message'); m.textContent = text; m.className = isError ? 'error' : ''; }

  function api(method, name, body) {
    var headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // A header of its own: Authorization may carry the browser's basic-auth login (docs/api.md §1.6).
    if (token()) headers['X-TWC-Token'] = token();
    return fetch('api/' + name, { method: method, headers: headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        if (res.status === 401) { $('token-box').style.display = 'block'; throw new Error('the API needs its token'); }
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
          if (!res.ok) throw new Error((data && data.error) || ('HTTP ' + res.status));
          return data;
        });
      });
  }

  function watts(v) { var w = num(v); return w >= 1000 ? (w / 1000).toFixed(2) + ' kW' : Math.round(w) + ' W'; }

  // getStatus's greenWindow* fields (docs/api.md §6.7): the times are "YYYY-MM-DD, HH:MM", local.
  function windowText(s) {
    var from = s.greenWindowSource === 'location' ? 'sunrise to sunset here' : 'fixed hours';
    var clock = function (t) { return String(t).split(', ')[1]; };
    if (s.greenWindowAllDay) return 'all day · ' + (s.greenWindowSource === 'location' ? 'polar day' : from);
    if (!s.greenWindowStart) return 'closed · ' + (s.greenWindowSource === 'location' ? 'polar night' : from);
    return clock(s.greenWindowStart) + '–' + clock(s.greenWindowEnd) + ' · ' + from;
  }

  function showStatus(s) {
    setText('currentPolicy', s.currentPolicy);
    $('policy-tile').className = 'tile policy' + (s.isGreenPolicy === 'Yes' ? ' green' : '');
    setText('maxAmps', num(s.maxAmpsToDivideAmongSlaves).toFixed(2) + ' A');
    setText('chargerLoad', watts(s.chargerLoadWatts) + ' · ' + num(s.chargerLoadAmps).toFixed(2) + ' A');
    setText('carsCharging', String(s.carsCharging));
    setText('generation', watts(s.generationWatts));
    setText('consumption', watts(s.consumptionWatts));
    if (s.greenWindowSource) setText('greenWindow', windowText(s));
    if (s.chargeNowTimeEnd) {
      var end = new Date(s.chargeNowTimeEnd * 1000);
      var mins = Math.max(0, Math.round((end.getTime() - Date.now()) / 60000));
      setText('chargeNow', s.chargeNowAmps + ' A until ' + end.toLocaleTimeString() + ' (' + mins + ' min)');
    } else {
      setText('chargeNow', 'off');
    }
    $('cancel').disabled = s.currentPolicy !== 'Charge Now';
    $('charge-submit').textContent = s.currentPolicy === 'Charge Now' ? 'Update charge now' : 'Charge now';
  }

  function cell(tr, text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); }

  function showSlaves(slaves) {
    var body = $('twcs');
    var rows = [];
    Object.keys(slaves).forEach(function (key) {
      if (key === 'total') return;
      var t = slaves[key];
      var tr = document.createElement('tr');
      tr.id = 'twc-' + String(t.TWCID).toLowerCase();
      cell(tr, String(t.TWCID));
      cell(tr, STATES[t.state] || ('state ' + t.state));
      cell(tr, num(t.lastAmpsOffered).toFixed(2));
      cell(tr, num(t.reportedAmpsActual).toFixed(2));
      cell(tr, String(t.maxAmps));
      cell(tr, String(t.lifetimekWh));
      cell(tr, [t.voltsPhaseA, t.voltsPhaseB, t.voltsPhaseC].filter(function (v) { return v > 0; }).join(' / ') || '–');
      cell(tr, t.currentVIN || t.lastVIN || '–');
      cell(tr, num(t.lastHeartbeat).toFixed(1) + ' s ago');
      rows.push(tr);
    });
    body.replaceChildren.apply(body, rows.length ? rows : [(function () {
      var tr = document.createElement('tr'); var td = document.createElement('td');
      td.colSpan = 9; td.className = 'empty'; td.textContent = 'no Wall Connector answering yet'; tr.appendChild(td); return tr;
    })()]);
    setText('ampsOffered', slaves.total ? num(slaves.total.lastAmpsOffered).toFixed(2) + ' A' : '–');
  }

  var busy = false;
  function refresh() {
    if (busy) return;
    busy = true;
    Promise.all([api('GET', 'getStatus'), api('GET', 'getSlaveTWCs')])
      .then(function (r) { showStatus(r[0]); showSlaves(r[1]); setText('updated', 'updated ' + new Date().toLocaleTimeString()); })
      .catch(function (e) { setText('updated', 'no answer: ' + e.message); })
      .then(function () { busy = false; });
  }

  function act(name, body, done) {
    return api('POST', name, body).then(function () { say(done, false); refresh(); }, function (e) { say(e.message, true); });
  }

  $('charge-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var rate = parseInt($('rate').value, 10);
    var duration = parseInt($('duration').value, 10);
    act('chargeNow', { chargeNowRate: rate, chargeNowDuration: duration }, 'Charging now at ' + rate + ' A.');
  });
  $('cancel').addEventListener('click', function () { act('cancelChargeNow', {}, 'Charge now cancelled.'); });
  $('start').addEventListener('click', function () { act('sendStartCommand', {}, 'Start sent to every Wall Connector.'); });
  $('stop').addEventListener('click', function () { act('sendStopCommand', {}, 'Stop sent to every Wall Connector.'); });
  $('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    try { localStorage.setItem('twcApiToken', $('token').value); } catch (e) { /* private mode */ }
    $('token-box').style.display = 'none';
    say('Token saved in this browser.', false);
    refresh();
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
</script>
</body>
</html>
`;
