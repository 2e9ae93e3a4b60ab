// Network page: a small force-directed layout on SVG (no library). Nodes repel each other,
// links pull like springs, a weak pull keeps everything near the centre; the simulation cools down
// and stops, and starts again briefly while a node is dragged.
(function () {
  "use strict";
  const svg = document.getElementById("network");
  if (!svg) return;
  const status = document.getElementById("network-status");
  const NS = "http://www.w3.org/2000/svg";
  const view = { x: 0, y: 0, k: 1, user: false };

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function radius(n) { return 4 + Math.sqrt(n.weight || 1) * 2.2; }

  function draw(data) {
    const width = svg.clientWidth || 900, height = svg.clientHeight || 640;
    const nodes = data.nodes.map((n, i) => ({
      ...n,
      x: width / 2 + Math.cos(i * 2.4) * (40 + 6 * Math.sqrt(i) * 10),
      y: height / 2 + Math.sin(i * 2.4) * (40 + 6 * Math.sqrt(i) * 10),
      vx: 0, vy: 0,
    }));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const links = data.links.filter((l) => byId.has(l.source) && byId.has(l.target))
      .map((l) => ({ ...l, s: byId.get(l.source), t: byId.get(l.target) }));
    status.textContent = `${nodes.length} nodes, ${links.length} links.`;
    if (!nodes.length) { status.textContent = "Nothing to show yet."; return; }

    const root = el("g", {}, svg);
    const linkLayer = el("g", {}, root), nodeLayer = el("g", {}, root);
    for (const l of links) {
      l.el = el("line", { class: "link " + l.kind, "stroke-width": Math.min(1 + Math.log2(l.weight), 6) }, linkLayer);
      el("title", {}, l.el).textContent = `${l.s.label} ${l.kind} ${l.t.label} (${l.weight})`;
    }
    const neighbours = new Map(nodes.map((n) => [n, new Set([n])]));
    for (const l of links) { neighbours.get(l.s).add(l.t); neighbours.get(l.t).add(l.s); }
    for (const n of nodes) {
      n.el = el("g", { class: "node " + n.kind, "data-id": n.id }, nodeLayer);
      el("circle", { r: radius(n) }, n.el);
      const label = el("text", { x: radius(n) + 3, y: 4 }, n.el);
      label.textContent = n.label;
      el("title", {}, n.el).textContent = `${n.label} (${n.kind}, ${n.weight})`;
    }

    let alpha = 1;
    function tick() {
      const cx = width / 2, cy = height / 2;
      for (let i = 0; i < nodes.length; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < nodes.length; j++) {
          const b = nodes[j];
          let dx = b.x - a.x, dy = b.y - a.y, d2 = dx * dx + dy * dy;
          if (d2 > 90000) continue; // far apart: no push, so separate clusters do not fly off
          if (d2 < 1) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 1; }
          const f = (900 * alpha) / d2;
          a.vx -= dx * f; a.vy -= dy * f; b.vx += dx * f; b.vy += dy * f;
        }
        a.vx += (cx - a.x) * 0.01 * alpha; a.vy += (cy - a.y) * 0.01 * alpha;
      }
      for (const l of links) {
        const dx = l.t.x - l.s.x, dy = l.t.y - l.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        const f = ((d - 70) / d) * 0.05 * alpha;
        l.s.vx += dx * f; l.s.vy += dy * f; l.t.vx -= dx * f; l.t.vy -= dy * f;
      }
      for (const n of nodes) {
        if (n.fixed) { n.vx = n.vy = 0; continue; }
        n.vx *= 0.6; n.vy *= 0.6; n.x += n.vx; n.y += n.vy;
      }
      render();
      alpha *= 0.985;
      if (alpha > 0.02) requestAnimationFrame(tick);
      else { running = false; svg.dataset.settled = "true"; }
    }
    function render() {
      for (const l of links) {
        l.el.setAttribute("x1", l.s.x.toFixed(1)); l.el.setAttribute("y1", l.s.y.toFixed(1));
        l.el.setAttribute("x2", l.t.x.toFixed(1)); l.el.setAttribute("y2", l.t.y.toFixed(1));
      }
      for (const n of nodes) n.el.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
      if (!view.user) fit();
    }
    // Until the reader zooms or pans, keep the whole graph in view (labels stick out to the right).
    function fit() {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const n of nodes) {
        x0 = Math.min(x0, n.x - 12); y0 = Math.min(y0, n.y - 12);
        x1 = Math.max(x1, n.x + 110); y1 = Math.max(y1, n.y + 12);
      }
      const k = Math.min(width / (x1 - x0), height / (y1 - y0), 1.5);
      view.k = k;
      view.x = (width - (x1 - x0) * k) / 2 - x0 * k;
      view.y = (height - (y1 - y0) * k) / 2 - y0 * k;
      applyView();
    }
    let running = true;
    function reheat() {
      alpha = Math.max(alpha, 0.3);
      if (!running) { running = true; delete svg.dataset.settled; requestAnimationFrame(tick); }
    }
    requestAnimationFrame(tick);

    function applyView() { root.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`); }
    function toGraph(event) {
      const box = svg.getBoundingClientRect();
      return { x: (event.clientX - box.left - view.x) / view.k, y: (event.clientY - box.top - view.y) / view.k };
    }
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      const px = event.clientX - box.left, py = event.clientY - box.top;
      const k = Math.min(4, Math.max(0.25, view.k * (event.deltaY < 0 ? 1.15 : 1 / 1.15)));
      view.x = px - ((px - view.x) * k) / view.k; view.y = py - ((py - view.y) * k) / view.k; view.k = k;
      view.user = true;
      applyView();
    }, { passive: false });

    let dragged = null, moved = false, pan = null;
    svg.addEventListener("pointerdown", (event) => {
      const g = event.target.closest(".node");
      svg.setPointerCapture(event.pointerId);
      moved = false;
      if (g) { dragged = nodes.find((n) => n.el === g); dragged.fixed = true; view.user = true; }
      else pan = { x: event.clientX - view.x, y: event.clientY - view.y };
    });
    svg.addEventListener("pointermove", (event) => {
      if (dragged) { const p = toGraph(event); dragged.x = p.x; dragged.y = p.y; moved = true; reheat(); }
      else if (pan) { view.x = event.clientX - pan.x; view.y = event.clientY - pan.y; view.user = true; applyView(); }
    });
    svg.addEventListener("pointerup", () => {
      if (dragged && !moved && dragged.url) window.location.href = dragged.url;
      if (dragged) dragged.fixed = false;
      dragged = null; pan = null;
    });
    svg.addEventListener("pointerover", (event) => {
      const g = event.target.closest(".node");
      if (!g) return;
      const n = nodes.find((m) => m.el === g), near = neighbours.get(n);
      svg.classList.add("focus");
      for (const m of nodes) m.el.classList.toggle("near", near.has(m));
      for (const l of links) l.el.classList.toggle("near", l.s === n || l.t === n);
    });
    svg.addEventListener("pointerout", (event) => {
      if (event.target.closest(".node")) svg.classList.remove("focus");
    });
  }

  fetch(svg.dataset.src, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
    .then(draw)
    .catch((err) => { status.textContent = "Could not load the network: " + err.message; });
})();
