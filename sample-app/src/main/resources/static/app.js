// The status page: polls /api/status and renders it; the buttons POST to /api/faults/*,
// /api/orders and /api/connections/*. No framework, no build step.
(function () {
  'use strict';

  const POLL_MILLIS = 500;
  const WINDOW_MILLIS = 5 * 60 * 1000;   // the timeline shows the last 5 minutes

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function post(path) {
    return fetch(path, { method: 'POST' })
      .then((response) => response.ok ? response.json() : response.json().then((body) => { throw new Error(body.error || response.status); }))
      .then(poll)
      .catch((error) => { document.getElementById('fault-state').textContent = 'Refused: ' + error.message; });
  }

  function ago(instant, now) {
    const seconds = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
    if (seconds < 60) return seconds + ' s';
    return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  }

  function clock(instant) {
    return instant ? new Date(instant).toLocaleTimeString([], { hour12: false }) : '';
  }

  function connectionCard(name) {
    const card = el('div', { 'class': 'panel connection', id: 'conn-' + name, 'data-connection': name }, [
      el('div', { 'class': 'title' }, [
        el('span', { 'class': 'name', text: name }),
        el('span', { 'class': 'state' }),
        el('span', { 'class': 'since muted' }),
      ]),
      el('div', { 'class': 'url' }),
      el('dl', { 'class': 'figures' }, [
        figure('reconnects', 'reconnects'),
        figure('rotations', 'rotations'),
        figure('in-rate', 'msgs/s in'),
        figure('out-rate', 'msgs/s out'),
        figure('pending', 'pending out'),
      ]),
      el('div', { 'class': 'last-error', title: 'last error' }),
      el('div', { 'class': 'timeline', title: 'last 5 minutes' }),
      el('div', { 'class': 'axis' }, [el('span', { text: '-5 min' }), el('span', { text: '-2.5 min' }), el('span', { text: 'now' })]),
      el('div', { 'class': 'buttons', style: 'margin-top:8px' }, [
        el('button', { 'class': 'reconnect', text: 'Reconnect now' }),
        el('button', { 'class': 'start', text: 'Start' }),
      ]),
    ]);
    card.querySelector('.reconnect').addEventListener('click', () => post('api/connections/' + encodeURIComponent(name) + '/reconnect'));
    card.querySelector('.start').addEventListener('click', () => post('api/connections/' + encodeURIComponent(name) + '/start'));
    return card;
  }

  function figure(cls, label) {
    return el('div', {}, [el('dt', { text: label }), el('dd', { 'class': cls })]);
  }

  function renderConnection(connection, now) {
    const container = document.getElementById('connections');
    let card = document.getElementById('conn-' + connection.name);
    if (!card) {
      card = connectionCard(connection.name);
      container.appendChild(card);
    }
    const state = card.querySelector('.state');
    state.textContent = connection.state;
    state.className = 'state state-' + connection.state;
    card.querySelector('.since').textContent = 'for ' + ago(connection.since, now);
    card.querySelector('.url').textContent = connection.url;
    card.querySelector('.reconnects').textContent = connection.reconnects;
    card.querySelector('.rotations').textContent = connection.rotations;
    card.querySelector('.in-rate').textContent = connection.inPerSecond.toFixed(1);
    card.querySelector('.out-rate').textContent = connection.outPerSecond.toFixed(1);
    card.querySelector('.pending').textContent = connection.pending;
    card.classList.toggle('down', connection.state !== 'CONNECTED');
    card.querySelector('.last-error').textContent = connection.lastError ? 'last error: ' + connection.lastError : '';
    card.querySelector('.start').disabled = !(connection.state === 'FAILED' || connection.state === 'CLOSED');
    card.querySelector('.reconnect').disabled = connection.state === 'FAILED' || connection.state === 'CLOSED' || connection.state === 'NEW';

    const timeline = card.querySelector('.timeline');
    timeline.replaceChildren();
    const from = now - WINDOW_MILLIS;
    connection.timeline.forEach((segment, index) => {
      const next = connection.timeline[index + 1];
      const start = Math.max(segment.start, from);
      const end = next ? next.start : now;
      if (end <= from) return;
      const left = (start - from) / WINDOW_MILLIS * 100;
      // at least a sliver, so that a 100 ms reconnect is still visible
      const width = Math.max((end - start) / WINDOW_MILLIS * 100, 0.25);
      timeline.appendChild(el('div', {
        'class': 'seg-' + segment.state,
        style: 'left:' + left + '%;width:' + width + '%',
        title: segment.state + ' from ' + clock(segment.start) + (next ? ' to ' + clock(next.start) : ''),
      }));
    });
  }

  function renderFaults(faults) {
    const active = [];
    if (faults.downSeconds > 0) active.push('down for ' + faults.downSeconds + ' more s (503)');
    if (faults.rejectStatus) active.push('rejecting handshakes with ' + faults.rejectStatus);
    if (faults.silent) active.push('silent: connections held open, nothing moves');
    document.getElementById('fault-state').textContent = active.length ? 'Active: ' + active.join('; ') : 'No fault active.';
    document.getElementById('feed-info').textContent = 'Feed: /feed/prices and /feed/echo in this application, reached through the relay on port '
      + faults.port + ' (' + faults.connections + ' feed connection' + (faults.connections === 1 ? '' : 's') + ' open).';
  }

  function renderPrices(status, now) {
    const body = document.querySelector('#prices tbody');
    body.replaceChildren();
    Object.values(status.prices).forEach((price) => {
      body.appendChild(el('tr', {}, [
        el('td', { text: price.symbol }),
        el('td', { text: Number(price.price).toFixed(2) }),
        el('td', { text: price.seq }),
        el('td', { text: ago(price.time, now) }),
      ]));
    });
    document.getElementById('prices-received').textContent = status.pricesReceived + ' prices received.';
  }

  function renderOrders(orders) {
    const body = document.querySelector('#orders tbody');
    body.replaceChildren();
    orders.forEach((entry) => {
      const late = entry.order.placedWhile !== 'CONNECTED';
      body.appendChild(el('tr', { 'class': late ? 'late' : '' }, [
        el('td', { text: entry.order.id }),
        el('td', { text: entry.order.placedWhile + ' at ' + clock(entry.order.placedAt) }),
        el('td', { text: entry.error ? entry.error : (entry.writtenAt ? clock(entry.writtenAt) : 'queued') }),
        el('td', { text: entry.acknowledgedAt ? clock(entry.acknowledgedAt) : '' }),
      ]));
    });
  }

  function renderNews(status) {
    const list = document.getElementById('news');
    list.replaceChildren();
    status.news.forEach((item) => list.appendChild(el('li', { text: '#' + item.seq + ' ' + item.headline })));
    document.getElementById('news-received').textContent = status.newsReceived + ' headlines received.';
  }

  function renderJournal(journal) {
    const list = document.getElementById('journal');
    list.replaceChildren();
    journal.forEach((entry) => list.appendChild(el('li', {}, [el('time', { text: clock(entry.time) }), document.createTextNode(entry.text)])));
  }

  function render(status) {
    const now = Date.parse(status.time);
    status.connections.forEach((connection) => renderConnection(connection, now));
    renderFaults(status.faults);
    renderPrices(status, now);
    renderOrders(status.orders);
    renderNews(status);
    renderJournal(status.journal);
    document.body.setAttribute('data-updated', status.time);
  }

  function poll() {
    return fetch('api/status', { cache: 'no-store' })
      .then((response) => response.json())
      .then(render)
      .catch(() => { document.getElementById('feed-info').textContent = 'The sample application does not answer.'; });
  }

  document.getElementById('drop').addEventListener('click', () => post('api/faults/drop'));
  document.getElementById('down').addEventListener('click', () => post('api/faults/down?seconds=' + encodeURIComponent(document.getElementById('down-seconds').value)));
  document.getElementById('reject').addEventListener('click', () => post('api/faults/reject?status=' + encodeURIComponent(document.getElementById('reject-status').value)));
  document.getElementById('silence').addEventListener('click', () => post('api/faults/silence'));
  document.getElementById('restore').addEventListener('click', () => post('api/faults/restore'));
  document.getElementById('order').addEventListener('click', () => post('api/orders'));

  // the reactive stream: one event per price, across the feed's drops (the browser
  // reconnects by itself only if this HTTP response ends)
  let streamed = 0;
  const stream = new EventSource('api/prices/stream');
  stream.onmessage = (event) => {
    const price = JSON.parse(event.data);
    streamed += 1;
    document.getElementById('streamed').textContent = price.symbol + ' ' + Number(price.price).toFixed(2)
      + ' (seq ' + price.seq + '), ' + streamed + ' events';
  };

  poll();
  setInterval(poll, POLL_MILLIS);
}());
