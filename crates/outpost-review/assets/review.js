// outpost review page. All data is read from the JSON script element and rendered with
// textContent / setAttribute on fixed attribute names: never innerHTML. Links only for http(s).
(function () {
  'use strict';
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById('outpost-data').textContent);
  var ITEMS = DATA.items;
  var MODE = DATA.mode;
  var PAGE = DATA.pageSize || 50;
  var STORE = 'outpost-review:' + DATA.dataset;
  var CORRECTABLE = ['station_name', 'country', 'city', 'city_en', 'city_lat', 'city_lon', 'bureau',
    'bureau_canonical', 'address', 'host_org', 'people', 'status', 'count'];
  var SVGNS = 'http://www.w3.org/2000/svg';
  var $ = function (id) { return document.getElementById(id); };

  // Per item index: {verdict: 'accept'|'reject'|null, fix: {field: value}, at: ISO time}.
  var state = new Map();
  var view = [];       // item indexes passing the filters, in display order
  var page = 0;
  var sel = 0;         // position of the selected item within the current page
  var point = null;    // map point filter: 'lat,lon'
  var fixing = -1;     // item index whose correction form is open
  var keyIndex = new Map();
  ITEMS.forEach(function (it, i) { keyIndex.set(itemId(it), i); });

  function itemId(it) { return MODE === 'stations' ? 's\u0000' + it.key : (it.article || '') + '\u0000' + it.key; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The URL when it is an absolute http(s) URL, else null (double check of the server side).
  function safeHref(u) {
    if (typeof u !== 'string' || !u) return null;
    var url;
    try { url = new URL(u.trim()); } catch (e) { return null; }
    return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
  }

  // An item's fields as [name, value, confidence|null]: stations carry them so; records carry
  // values aligned with DATA.fieldNames plus a name -> confidence map.
  function fieldsOf(it) {
    if (MODE === 'stations') return it.fields;
    return DATA.fieldNames.map(function (n, k) {
      var c = it.fconf && typeof it.fconf[n] === 'number' ? it.fconf[n] : null;
      return [n, it.fields[k] || '', c];
    });
  }

  function labelClass(kind) { return String(kind).replace(/[^A-Z_]/g, ''); }

  // ---- decisions ---------------------------------------------------------------------------
  function st(i) {
    var s = state.get(i);
    if (!s) { s = { verdict: null, fix: {}, at: null }; state.set(i, s); }
    return s;
  }
  function status(i) {
    var s = state.get(i);
    if (!s) return 'none';
    if (s.verdict) return s.verdict;
    return Object.keys(s.fix).length ? 'correct' : 'none';
  }
  function save() {
    try {
      var out = [];
      state.forEach(function (s, i) { out.push([itemId(ITEMS[i]), s]); });
      localStorage.setItem(STORE, JSON.stringify(out));
    } catch (e) { /* storage unavailable: decisions stay in memory */ }
  }
  function load() {
    try {
      var raw = localStorage.getItem(STORE);
      if (!raw) return;
      JSON.parse(raw).forEach(function (p) {
        var i = keyIndex.get(p[0]);
        if (i !== undefined && p[1] && typeof p[1] === 'object') {
          state.set(i, { verdict: p[1].verdict === 'accept' || p[1].verdict === 'reject' ? p[1].verdict : null,
            fix: p[1].fix && typeof p[1].fix === 'object' ? p[1].fix : {}, at: p[1].at || null });
        }
      });
    } catch (e) { /* ignore a corrupt store */ }
  }
  function decide(i, verdict) {
    var s = st(i);
    s.verdict = verdict;
    s.at = new Date().toISOString();
    save();
  }
  function correct(i, field, value) {
    var s = st(i);
    s.fix[field] = value;
    s.at = new Date().toISOString();
    save();
  }
  function clearDecision(i) { state.delete(i); save(); }

  function decisionLines() {
    var lines = [];
    ITEMS.forEach(function (it, i) {
      var s = state.get(i);
      if (!s) return;
      var base = MODE === 'stations'
        ? { station_id: it.key, record_key: it.key }
        : { article_id: it.article, record_key: it.key };
      Object.keys(s.fix).sort().forEach(function (f) {
        var d = Object.assign({}, base, { decision: 'correct', field: f, value: s.fix[f] === '' ? null : s.fix[f] });
        if (s.at) d.at = s.at;
        lines.push(JSON.stringify(d));
      });
      if (s.verdict) {
        var d = Object.assign({}, base, { decision: s.verdict });
        if (s.at) d.at = s.at;
        lines.push(JSON.stringify(d));
      }
    });
    return lines;
  }
  function download() {
    var lines = decisionLines();
    var blob = new Blob([lines.join('\n') + (lines.length ? '\n' : '')], { type: 'application/x-ndjson' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'decisions.jsonl';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function importFile(file) {
    file.text().then(function (text) {
      var n = 0, bad = 0;
      text.split('\n').forEach(function (line) {
        if (!line.trim()) return;
        var d;
        try { d = JSON.parse(line); } catch (e) { bad++; return; }
        var id = d.station_id ? 's\u0000' + d.record_key : (d.article_id || '') + '\u0000' + d.record_key;
        var i = keyIndex.get(id);
        if (i === undefined) { bad++; return; }
        var s = st(i);
        if (d.decision === 'accept' || d.decision === 'reject') s.verdict = d.decision;
        else if (d.decision === 'correct' && CORRECTABLE.indexOf(d.field) >= 0) s.fix[d.field] = d.value == null ? '' : String(d.value);
        else { bad++; return; }
        if (d.at) s.at = String(d.at);
        n++;
      });
      save();
      render();
      $('summary').textContent += ' · imported ' + n + (bad ? ' (' + bad + ' not matched)' : '');
    });
  }

  // ---- filters -----------------------------------------------------------------------------
  function fillSelect(id, key) {
    var counts = new Map();
    ITEMS.forEach(function (it) { var v = it[key] || ''; counts.set(v, (counts.get(v) || 0) + 1); });
    var s = $(id);
    s.appendChild(el('option', null, 'all')).value = '';
    Array.from(counts.keys()).sort().forEach(function (v) {
      var o = el('option', null, (v === '' ? '(none)' : v) + ' (' + counts.get(v) + ')');
      o.value = v === '' ? '\u0000none' : v;
      s.appendChild(o);
    });
  }
  function ptKey(it) { return it.pt ? (Math.round(it.pt[0] * 10) / 10) + ',' + (Math.round(it.pt[1] * 10) / 10) : null; }
  function searchText(it) {
    if (it._s === undefined) {
      var parts = [it.key, it.article || '', it.city || '', it.bureau || '', it.country || '', it.title || ''];
      fieldsOf(it).forEach(function (f) { parts.push(f[1]); });
      it._s = parts.join('\u0001').toLowerCase();
    }
    return it._s;
  }
  function applyFilters(keepPage) {
    var fc = $('f-country').value, fb = $('f-bureau').value, fl = $('f-lang').value;
    var lo = parseFloat($('f-min').value), hi = parseFloat($('f-max').value);
    if (isNaN(lo)) lo = 0;
    if (isNaN(hi)) hi = 1;
    var fs = $('f-status').value, q = $('f-text').value.trim().toLowerCase();
    var match = function (want, v) { return want === '' || (want === '\u0000none' ? !v : v === want); };
    view = [];
    for (var i = 0; i < ITEMS.length; i++) {
      var it = ITEMS[i];
      if (!match(fc, it.country) || !match(fb, it.bureau) || !match(fl, it.lang)) continue;
      if (it.confidence < lo - 1e-9 || it.confidence > hi + 1e-9) continue;
      if (fs && status(i) !== fs) continue;
      if (point && ptKey(it) !== point) continue;
      if (q && searchText(it).indexOf(q) < 0) continue;
      view.push(i);
    }
    if ($('f-sort').value === 'asc') view.reverse();
    if (!keepPage) { page = 0; sel = 0; }
    var pf = $('f-point');
    pf.hidden = !point;
    pf.textContent = point ? 'location ' + point + ' ✕' : '';
    drawPoints();
    render();
  }

  // ---- map ---------------------------------------------------------------------------------
  var pointsLayer = null;
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function drawMap() {
    var m = $('map');
    m.appendChild(svg('rect', { x: -180, y: -90, width: 360, height: 180, 'class': 'sea' }));
    if (typeof DATA.land === 'string' && /^[MLZ0-9 .\-]*$/.test(DATA.land)) {
      m.appendChild(svg('path', { d: DATA.land, 'class': 'land' }));
    }
    var g = svg('g', { 'class': 'grat' });
    for (var lon = -150; lon <= 150; lon += 30) g.appendChild(svg('line', { x1: lon, y1: -90, x2: lon, y2: 90 }));
    for (var lat = -60; lat <= 60; lat += 30) g.appendChild(svg('line', { x1: -180, y1: -lat, x2: 180, y2: -lat }));
    m.appendChild(g);
    pointsLayer = svg('g', {});
    m.appendChild(pointsLayer);
  }
  function drawPoints() {
    if (!pointsLayer) return;
    var groups = new Map();
    view.forEach(function (i) {
      var it = ITEMS[i], k = ptKey(it);
      if (!k) return;
      var g = groups.get(k);
      if (!g) { g = { pt: it.pt, n: 0, max: 0, names: new Set() }; groups.set(k, g); }
      g.n++;
      g.max = Math.max(g.max, it.confidence);
      if (g.names.size < 4) g.names.add((it.city || '?') + ', ' + (it.country || '?'));
    });
    var frag = document.createDocumentFragment();
    groups.forEach(function (g, k) {
      var c = svg('circle', { cx: g.pt[1], cy: -g.pt[0], r: Math.min(1.2 + Math.sqrt(g.n) * 0.6, 7) });
      if (g.max < 0.5) c.setAttribute('class', 'lo');
      c.dataset.pt = k;
      var title = document.createElementNS(SVGNS, 'title');
      title.textContent = Array.from(g.names).join('; ') + ' — ' + g.n + ' record(s), max confidence ' + g.max.toFixed(2);
      c.appendChild(title);
      frag.appendChild(c);
    });
    pointsLayer.replaceChildren(frag);
  }

  // ---- rendering ---------------------------------------------------------------------------
  function pageCount() { return Math.max(1, Math.ceil(view.length / PAGE)); }
  function card(i, rank) {
    var it = ITEMS[i], s = state.get(i), stat = status(i);
    var c = el('article', 'card' + (stat !== 'none' ? ' d-' + stat : ''));
    c.dataset.idx = String(i);
    c.dataset.key = it.key;
    if (it.article) c.dataset.article = it.article;
    var h = el('div', 'head');
    h.appendChild(el('span', 'rank', '#' + rank));
    h.appendChild(el('span', 'place', (it.city || '(no city)') + ', ' + (it.country || '?')));
    var conf = el('span', 'conf');
    var bar = el('span', 'bar'), fill = el('i');
    fill.style.width = Math.round(Math.max(0, Math.min(1, it.confidence)) * 100) + '%';
    bar.appendChild(fill);
    conf.appendChild(bar);
    conf.appendChild(el('span', null, it.confidence.toFixed(2)));
    h.appendChild(conf);
    if (it.bureau) h.appendChild(el('span', 'tag', it.bureau));
    if (it.lang) h.appendChild(el('span', 'tag', it.lang));
    if (stat !== 'none') h.appendChild(el('span', 'badge ' + stat, stat === 'accept' ? 'accepted' : stat === 'reject' ? 'rejected' : 'corrected'));
    c.appendChild(h);

    var src = el('div', 'src');
    if (it.article) src.appendChild(el('span', null, 'article ' + it.article + (it.date ? ' · ' + it.date : '') + ' · '));
    if (it.title) src.appendChild(el('span', null, '“' + it.title + '” · '));
    var href = it.link ? safeHref(it.url) : null;
    if (href) {
      var a = el('a', null, it.url || href);
      a.href = href;
      a.rel = 'noopener noreferrer nofollow';
      a.target = '_blank';
      src.appendChild(a);
    } else if (it.url) {
      var u = el('span', 'unsafe-url', it.url);
      u.title = 'not an http(s) link: shown as text only';
      src.appendChild(u);
    }
    c.appendChild(src);

    var tb = el('div', 'fields');
    fieldsOf(it).forEach(function (f) {
      var fix = s && Object.prototype.hasOwnProperty.call(s.fix, f[0]);
      if (!f[1] && !fix) return;
      var cell = el('div', 'f');
      cell.dataset.field = f[0];
      cell.appendChild(el('span', 'fn', f[0]));
      var v = el('span', 'fv');
      if (fix) {
        if (f[1]) v.appendChild(el('span', 'old', f[1]));
        v.appendChild(el('span', 'new', s.fix[f[0]] === '' ? '(cleared)' : s.fix[f[0]]));
      } else {
        v.textContent = f[1];
      }
      cell.appendChild(v);
      if (typeof f[2] === 'number') {
        var fc = el('span', 'fc', f[2].toFixed(2));
        fc.title = 'field confidence';
        cell.appendChild(fc);
      }
      tb.appendChild(cell);
    });
    c.appendChild(tb);

    it.evidence.forEach(function (segs) {
      var ev = el('div', 'ev');
      segs.forEach(function (sg) {
        var kind = sg[1];
        if (!kind) ev.appendChild(document.createTextNode(sg[0]));
        else if (kind === 'c') ev.appendChild(el('span', 'c', sg[0]));
        else {
          var sp = el('mark', 'hl hl-' + labelClass(kind), sg[0]);
          sp.title = labelClass(kind);
          ev.appendChild(sp);
        }
      });
      c.appendChild(ev);
    });

    var act = el('div', 'actions');
    [['accept', 'Accept (a)'], ['reject', 'Reject (r)'], ['correct', 'Correct (c)'], ['clear', 'Clear (u)']].forEach(function (b) {
      var btn = el('button', 'act-' + b[0], b[1]);
      btn.dataset.act = b[0];
      act.appendChild(btn);
    });
    c.appendChild(act);
    if (fixing === i) c.appendChild(fixForm(i));
    return c;
  }

  function fixForm(i) {
    var it = ITEMS[i];
    var f = el('form', 'fix');
    var selF = el('select');
    selF.name = 'field';
    var fields = CORRECTABLE;
    var all = fieldsOf(it);
    fields.forEach(function (name) { var o = el('option', null, name); o.value = name; selF.appendChild(o); });
    var input = el('input');
    input.name = 'value';
    input.placeholder = 'corrected value (empty clears)';
    var current = function () {
      var s = state.get(i);
      if (s && Object.prototype.hasOwnProperty.call(s.fix, selF.value)) return s.fix[selF.value];
      var fld = all.find(function (x) { return x[0] === selF.value; });
      return fld ? fld[1] : '';
    };
    selF.addEventListener('change', function () { input.value = current(); });
    input.value = current();
    f.appendChild(el('span', null, 'Correct'));
    f.appendChild(selF);
    f.appendChild(input);
    var ok = el('button', null, 'Save');
    ok.type = 'submit';
    f.appendChild(ok);
    var cancel = el('button', null, 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', function () { fixing = -1; render(); });
    f.appendChild(cancel);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      correct(i, selF.value, input.value.trim());
      fixing = -1;
      render();
    });
    return f;
  }

  function render() {
    var pc = pageCount();
    if (page >= pc) page = pc - 1;
    var start = page * PAGE, end = Math.min(view.length, start + PAGE);
    if (sel >= end - start) sel = Math.max(0, end - start - 1);
    var frag = document.createDocumentFragment();
    for (var p = start; p < end; p++) {
      var c = card(view[p], p + 1);
      if (p - start === sel) c.classList.add('sel');
      frag.appendChild(c);
    }
    if (!view.length) frag.appendChild(el('div', 'empty', 'No records match the filters.'));
    $('list').replaceChildren(frag);
    $('pageinfo').textContent = 'page ' + (page + 1) + ' of ' + pc + ' · ' + view.length + ' shown';
    var acc = 0, rej = 0, cor = 0;
    state.forEach(function (s, i) {
      var t = status(i);
      if (t === 'accept') acc++; else if (t === 'reject') rej++;
      if (Object.keys(s.fix).length) cor++;
    });
    $('summary').textContent = ITEMS.length + ' ' + (MODE === 'stations' ? 'stations' : 'records') +
      ' · ' + acc + ' accepted · ' + rej + ' rejected · ' + cor + ' with corrections';
    var f = document.querySelector('.card .fix input');
    if (f) f.focus();
  }

  function selectedIndex() { var p = page * PAGE + sel; return p < view.length ? view[p] : -1; }
  function scrollSel() {
    var c = document.querySelector('.card.sel');
    if (c) c.scrollIntoView({ block: 'nearest' });
  }
  function move(d) {
    var n = Math.min(PAGE, view.length - page * PAGE);
    var ns = sel + d;
    if (ns >= n && page < pageCount() - 1) { page++; sel = 0; render(); }
    else if (ns < 0 && page > 0) { page--; sel = PAGE - 1; render(); }
    else if (ns >= 0 && ns < n) {
      var old = document.querySelector('.card.sel');
      if (old) old.classList.remove('sel');
      sel = ns;
      var cards = document.querySelectorAll('.card');
      if (cards[sel]) cards[sel].classList.add('sel');
    }
    scrollSel();
  }
  function act(i, what) {
    if (i < 0) return;
    if (what === 'accept' || what === 'reject') {
      decide(i, what);
      var n = Math.min(PAGE, view.length - page * PAGE);
      if ($('f-status').value === '' || $('f-status').value === what) {
        if (sel < n - 1) sel++;
        render();
      } else {
        applyFilters(true);
      }
      scrollSel();
    } else if (what === 'correct') {
      fixing = i;
      render();
    } else if (what === 'clear') {
      clearDecision(i);
      fixing = -1;
      render();
    }
  }

  // ---- events ------------------------------------------------------------------------------
  function wire() {
    ['f-country', 'f-bureau', 'f-lang', 'f-status', 'f-sort'].forEach(function (id) {
      $(id).addEventListener('change', function () { applyFilters(false); });
    });
    ['f-min', 'f-max', 'f-text'].forEach(function (id) {
      $(id).addEventListener('input', function () { applyFilters(false); });
    });
    $('btn-reset').addEventListener('click', function () {
      ['f-country', 'f-bureau', 'f-lang', 'f-status', 'f-text'].forEach(function (id) { $(id).value = ''; });
      $('f-min').value = '0'; $('f-max').value = '1'; $('f-sort').value = 'desc'; point = null;
      applyFilters(false);
    });
    $('f-point').addEventListener('click', function () { point = null; applyFilters(false); });
    $('map').addEventListener('click', function (e) {
      var t = e.target;
      if (t && t.dataset && t.dataset.pt) { point = t.dataset.pt; applyFilters(false); }
    });
    $('btn-prev').addEventListener('click', function () { if (page > 0) { page--; sel = 0; render(); } });
    $('btn-next').addEventListener('click', function () { if (page < pageCount() - 1) { page++; sel = 0; render(); } });
    $('btn-download').addEventListener('click', download);
    $('btn-help').addEventListener('click', function () { $('help').hidden = !$('help').hidden; });
    $('import').addEventListener('change', function (e) { if (e.target.files[0]) importFile(e.target.files[0]); });
    $('list').addEventListener('click', function (e) {
      var b = e.target.closest ? e.target.closest('button[data-act]') : null;
      var c = e.target.closest ? e.target.closest('.card') : null;
      if (!c) return;
      var cards = Array.prototype.indexOf.call(document.querySelectorAll('.card'), c);
      if (cards >= 0 && cards !== sel) {
        var old = document.querySelector('.card.sel');
        if (old) old.classList.remove('sel');
        sel = cards;
        c.classList.add('sel');
      }
      if (b) act(parseInt(c.dataset.idx, 10), b.dataset.act);
    });
    document.addEventListener('keydown', function (e) {
      var tag = e.target && e.target.tagName;
      var typing = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
      if (e.key === 'Escape') {
        $('help').hidden = true;
        if (fixing >= 0) { fixing = -1; render(); }
        if (typing) e.target.blur();
        return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      var i = selectedIndex();
      switch (e.key) {
        case 'j': case 'ArrowDown': move(1); break;
        case 'k': case 'ArrowUp': move(-1); break;
        case 'a': act(i, 'accept'); break;
        case 'r': act(i, 'reject'); break;
        case 'c': act(i, 'correct'); break;
        case 'u': act(i, 'clear'); break;
        case 'n': case 'ArrowRight': if (page < pageCount() - 1) { page++; sel = 0; render(); } break;
        case 'p': case 'ArrowLeft': if (page > 0) { page--; sel = 0; render(); } break;
        case 'd': download(); break;
        case '/': $('f-text').focus(); break;
        case 'm': $('mapwrap').classList.toggle('hidden'); break;
        case '?': $('help').hidden = !$('help').hidden; break;
        default: return;
      }
      e.preventDefault();
    });
  }

  fillSelect('f-country', 'country');
  fillSelect('f-bureau', 'bureau');
  fillSelect('f-lang', 'lang');
  load();
  drawMap();
  wire();
  applyFilters(false);
  window.__outpostReview = {
    ready: performance.now(),
    scriptMs: performance.now() - t0,
    items: ITEMS.length,
    decisions: decisionLines
  };
  document.body.dataset.ready = '1';
})();
