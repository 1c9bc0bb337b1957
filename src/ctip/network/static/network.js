/* CTIP network view: pan, zoom and highlight on the server-drawn SVG; the dashboard's
   alert count. No dependencies, no inline script (works under a strict CSP). */
(function () {
  "use strict";

  function setupCanvas(svg) {
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    var pointers = {};
    var moved = 0;
    var lastDistance = null;

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }
    function toSvg(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      return {
        x: view.x + ((clientX - box.left) / box.width) * view.w,
        y: view.y + ((clientY - box.top) / box.height) * view.h
      };
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(home.w * 4, Math.max(home.w / 12, view.w * factor));
      var f = w / view.w;
      view.x = cx - (cx - view.x) * f;
      view.y = cy - (cy - view.y) * f;
      view.w = w;
      view.h = view.h * f;
      apply();
    }
    function centre() {
      return { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toSvg(event.clientX, event.clientY);
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });

    svg.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      moved = 0;
      lastDistance = null;
    });
    svg.addEventListener("pointermove", function (event) {
      var before = pointers[event.pointerId];
      if (!before) { return; }
      var ids = Object.keys(pointers);
      var box = svg.getBoundingClientRect();
      if (ids.length === 2) {
        pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (lastDistance) {
          var mid = toSvg((a.x + b.x) / 2, (a.y + b.y) / 2);
          zoom(lastDistance / distance, mid.x, mid.y);
        }
        lastDistance = distance;
        moved += 10;
        return;
      }
      var dx = event.clientX - before.x, dy = event.clientY - before.y;
      moved += Math.abs(dx) + Math.abs(dy);
      if (moved > 4) {
        if (!svg.hasPointerCapture(event.pointerId)) { svg.setPointerCapture(event.pointerId); }
        view.x -= dx * view.w / box.width;
        view.y -= dy * view.h / box.height;
        apply();
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    });
    function release(event) {
      delete pointers[event.pointerId];
      lastDistance = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    /* A drag is not a click: do not follow the node's link after panning. */
    svg.addEventListener("click", function (event) {
      if (moved > 4) { event.preventDefault(); }
    }, true);

    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var c = centre();
        var what = button.getAttribute("data-zoom");
        if (what === "in") { zoom(1 / 1.4, c.x, c.y); }
        else if (what === "out") { zoom(1.4, c.x, c.y); }
        else { view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
      });
    });

    var lines = Array.prototype.slice.call(svg.querySelectorAll("line.link"));
    var nodes = {};
    svg.querySelectorAll(".node").forEach(function (node) {
      nodes[node.getAttribute("data-key")] = node;
    });
    function highlight(key) {
      svg.classList.add("focused");
      nodes[key].classList.add("hi");
      lines.forEach(function (line) {
        var s = line.getAttribute("data-source"), t = line.getAttribute("data-target");
        if (s === key || t === key) {
          line.classList.add("hi");
          (nodes[s === key ? t : s] || { classList: { add: function () {} } }).classList.add("hi");
        }
      });
    }
    function clear() {
      svg.classList.remove("focused");
      svg.querySelectorAll(".hi").forEach(function (el) { el.classList.remove("hi"); });
    }
    Object.keys(nodes).forEach(function (key) {
      var node = nodes[key];
      node.addEventListener("mouseenter", function () { highlight(key); });
      node.addEventListener("mouseleave", clear);
      node.addEventListener("focus", function () { highlight(key); });
      node.addEventListener("blur", clear);
    });
    document.querySelectorAll("#node-list tr[data-key]").forEach(function (row) {
      var key = row.getAttribute("data-key");
      if (!nodes[key]) { return; }
      row.addEventListener("mouseenter", function () { highlight(key); });
      row.addEventListener("mouseleave", clear);
    });
  }

  function alertCount(el) {
    fetch(el.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { el.textContent = data ? String(data.unread) : "—"; })
      .catch(function () { el.textContent = "—"; });
  }

  function start() {
    var svg = document.getElementById("network-svg");
    if (svg) { setupCanvas(svg); }
    document.querySelectorAll("[data-stat=alerts-unread][data-url]").forEach(alertCount);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
