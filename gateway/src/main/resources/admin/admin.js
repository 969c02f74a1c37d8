// The admin page: polls the admin endpoint's JSON every two seconds and draws tables and two
// uPlot charts. The browser already holds the admin credentials (HTTP Basic), so fetches send them.
'use strict';

const charts = {};
window.sekishoCharts = charts;

async function getJson(path) {
  const response = await fetch(path, {cache: 'no-store'});
  if (!response.ok) {
    throw new Error(path + ': ' + response.status);
  }
  return response.json();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

async function cancelSession(id, button) {
  button.disabled = true;
  const response = await fetch('api/sessions/' + id + '/cancel', {method: 'POST'});
  const result = await response.json();
  button.textContent = result.cancelled ? 'cancelled' : 'nothing running';
}

function drawSessions(sessions) {
  const body = document.querySelector('#sessions tbody');
  body.replaceChildren();
  for (const session of sessions) {
    const row = document.createElement('tr');
    row.dataset.session = session.id;
    row.dataset.state = session.state;
    cell(row, session.id);
    cell(row, session.user);
    cell(row, session.application);
    cell(row, session.client_address);
    cell(row, session.state);
    cell(row, session.running_millis == null ? '' : (session.running_millis / 1000).toFixed(1) + ' s');
    cell(row, session.statement, 'sql statement');
    const actions = cell(row, '');
    if (session.state === 'active') {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cancel';
      button.textContent = 'Cancel statement';
      button.addEventListener('click', () => cancelSession(session.id, button));
      actions.appendChild(button);
    }
    body.appendChild(row);
  }
}

function drawStatements(statements) {
  const body = document.querySelector('#statements tbody');
  body.replaceChildren();
  for (const statement of statements.slice(0, 50)) {
    const row = document.createElement('tr');
    cell(row, statement.time.replace('T', ' ').replace(/\..*/, ''));
    cell(row, statement.end_user ? statement.user + ' for ' + statement.end_user : statement.user);
    cell(row, statement.sql_state ? statement.outcome + ' ' + statement.sql_state : statement.outcome, 'outcome-' + statement.outcome);
    cell(row, statement.duration_millis);
    cell(row, statement.rows);
    cell(row, statement.sql, 'sql');
    cell(row, statement.sources.map(source => source.source + (source.server ? '@' + source.server : '') + ': ' + (source.sql || '(computed in the gateway)')).join('\n'), 'sql');
    cell(row, statement.rules.join('\n'), 'sql');
    body.appendChild(row);
  }
}

function drawBudgets(budgets) {
  document.getElementById('budget-note').textContent = budgets.configured ? '' : budgets.message;
  const container = document.getElementById('budget-chart');
  let teams;
  let values;
  let label;
  if (budgets.configured) {
    // each team's share of its allowance used (spent and reserved by running statements): today's, else this month's
    const byTeam = {};
    for (const allowance of budgets.allowances) {
      const daily = allowance.period.length === 10;
      if (!byTeam[allowance.team] || daily) {
        byTeam[allowance.team] = allowance;
      }
    }
    teams = Object.keys(byTeam).sort();
    values = teams.map(team => {
      const allowance = byTeam[team];
      return allowance.limit_bytes > 0 ? 100 * (allowance.spent_bytes + allowance.reserved_bytes) / allowance.limit_bytes : 0;
    });
    container.dataset.used = values.map(value => value.toFixed(1)).join(',');
    label = '% of allowance used';
  }
  else {
    teams = Object.keys(budgets.teams);
    values = teams.map(team => budgets.teams[team].statements);
    delete container.dataset.used;
    label = 'statements today';
  }
  container.dataset.mode = budgets.configured ? 'budget' : 'statements';
  container.dataset.teams = teams.join(',');
  const data = [teams.map((team, i) => i), values];
  if (charts.budget) {
    charts.budget.destroy();
  }
  charts.budget = new uPlot({
    width: 420, height: 220,
    scales: {x: {time: false, range: [-0.5, Math.max(teams.length, 1) - 0.5]}},
    axes: [{values: (plot, splits) => splits.map(i => teams[i] ?? '')}, {label: label}],
    series: [{}, {label: label, fill: '#457b9d', stroke: '#1d3557', paths: uPlot.paths.bars({size: [0.6, 60]}), points: {show: false}}],
  }, data, container);
}

function drawLag(replicas) {
  const history = replicas.lag_history;
  const servers = [...new Set(history.flatMap(sample => Object.keys(sample.lag_seconds)))];
  const data = [history.map(sample => Date.parse(sample.at) / 1000)];
  for (const server of servers) {
    data.push(history.map(sample => sample.lag_seconds[server] ?? null));
  }
  const container = document.getElementById('lag-chart');
  container.dataset.servers = servers.join(',');
  if (charts.lag) {
    charts.lag.destroy();
  }
  const palette = ['#e63946', '#2a9d8f', '#e9c46a', '#264653', '#f4a261'];
  charts.lag = new uPlot({
    width: 420, height: 220,
    series: [{}, ...servers.map((server, i) => ({label: server, stroke: palette[i % palette.length], spanGaps: false}))],
  }, data, container);
}

async function refresh() {
  try {
    const [sessions, statements, budgets, replicas, policy, caches] = await Promise.all([
      getJson('api/sessions'), getJson('api/statements'), getJson('api/budgets'), getJson('api/replicas'), getJson('api/policy'), getJson('api/caches')]);
    drawSessions(sessions.sessions);
    drawStatements(statements.statements);
    drawBudgets(budgets);
    drawLag(replicas);
    document.getElementById('policy').textContent = policy.configured
        ? 'policy ' + policy.version + (policy.last_error ? ' (last reload rejected: ' + policy.last_error.join('; ') + ')' : '')
        : 'no policies configured';
    document.getElementById('caches').textContent = caches.configured ? JSON.stringify(caches) : caches.message;
    document.body.dataset.loaded = 'true';
  }
  catch (e) {
    document.getElementById('ready').textContent = 'refresh failed: ' + e.message;
  }
}

document.getElementById('reload').addEventListener('click', async () => {
  const response = await fetch('api/policy/reload', {method: 'POST'});
  const result = await response.json();
  document.getElementById('ready').textContent = 'reload: ' + result.outcome + (result.problems && result.problems.length ? ' ' + result.problems.join('; ') : '');
  refresh();
});

refresh();
setInterval(refresh, 2000);
