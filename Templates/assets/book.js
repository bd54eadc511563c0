/* build-site: the book's client-side behaviour. Plain JavaScript, no libraries, no network.
 *
 * - Hover cards: hovering or focusing an entity reference (a.ref[data-ref]) shows a small card with the
 *   entity's name, Han characters, dates or place, kind and one-line summary (data from data/cards.js).
 * - Search: on search.html, searches data/search.js as the reader types; ?q= in the address is kept.
 *
 * Everything here is an enhancement: without JavaScript the links and the header search form still work.
 * Data comes from scripts that set globals (window.BOOK_CARDS, window.BOOK_SEARCH), never from fetch(),
 * so the book works opened from disk (file://) and served from any sub-path.
 */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;

  /* The relative prefix from this page to the site root: "" / "./" on root pages, "../" below. */
  var root = html.getAttribute("data-root") || "";
  if (root && root.charAt(root.length - 1) !== "/") root += "/";

  function siteURL(u) {
    return root + u;
  }

  /* The fold the engine applies to search keys: NFD, drop combining marks, lowercase, keep letters and digits. */
  var nonWord;
  try {
    nonWord = new RegExp("[^\\p{L}\\p{N}]", "gu");
  } catch (e) {
    nonWord = /[^0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;
  }
  function fold(s) {
    return String(s == null ? "" : s)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(nonWord, "");
  }

  /* Fold a text and remember, for every folded code unit, where it came from in the original text,
     so a match in the folded text can be marked in the original. */
  function foldWithMap(s) {
    var out = "";
    var starts = [];
    var ends = [];
    var i = 0;
    s = String(s == null ? "" : s);
    while (i < s.length) {
      var cp = s.codePointAt(i);
      var len = cp > 0xffff ? 2 : 1;
      var f = fold(s.substr(i, len));
      for (var j = 0; j < f.length; j++) {
        starts.push(i);
        ends.push(i + len);
      }
      out += f;
      i += len;
    }
    return { text: out, starts: starts, ends: ends };
  }

  var KIND_LABELS = {
    person: "Person", place: "Place", polity: "Polity", event: "Event",
    section: "Section", chapter: "Chapter"
  };
  function kindLabel(k) {
    if (!k) return "";
    return KIND_LABELS[k] || (k.charAt(0).toUpperCase() + k.slice(1));
  }

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function hanSpan(han, lang) {
    var span = el("span", "han", han);
    span.setAttribute("lang", lang || "zh");
    return span;
  }

  function cards() {
    var c = window.BOOK_CARDS;
    return c && typeof c === "object" ? c : null;
  }

  /* ------------------------------------------------------------------------------------------------ */
  /* Hover cards                                                                                      */
  /* ------------------------------------------------------------------------------------------------ */

  var HIDE_DELAY = 300;   // ms: time to move the pointer from the link onto the card
  var SHOW_DELAY = 120;   // ms: a pointer passing over a link does not flash a card
  var MARGIN = 8;         // px kept between the card and the viewport's edges

  var card = null;        // the one card element, made on first use
  var shownFor = null;    // the link the card is shown for
  var savedDescribedBy = null;
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = { type: "", time: 0, target: null };

  function refOf(node) {
    if (!node || !node.closest) return null;
    var a = node.closest("a.ref[data-ref]");
    if (!a) return null;
    var data = cards();
    return data && Object.prototype.hasOwnProperty.call(data, a.getAttribute("data-ref")) ? a : null;
  }

  function ensureCard() {
    if (card) return card;
    card = el("div", "ref-card");
    card.id = "ref-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("pointerleave", function (e) {
      if (e.pointerType !== "touch") scheduleHide();
    });
    doc.body.appendChild(card);
    return card;
  }

  function fillCard(entry) {
    var c = ensureCard();
    c.textContent = "";
    var meta = el("p", "ref-card-meta");
    meta.appendChild(el("span", "ref-card-kind", kindLabel(entry.k)));
    if (entry.d) {
      meta.appendChild(doc.createTextNode(" · "));
      meta.appendChild(el("span", "ref-card-dates", entry.k === "place" ? "today " + entry.d : entry.d));
    }
    var name = el("p", "ref-card-name");
    name.appendChild(el("strong", null, entry.n || ""));
    if (entry.h) {
      name.appendChild(doc.createTextNode(" "));
      name.appendChild(hanSpan(entry.h, entry.l));
    }
    c.appendChild(name);
    c.appendChild(meta);
    if (entry.s) c.appendChild(el("p", "ref-card-summary", entry.s));
    c.setAttribute("data-kind", entry.k || "");
  }

  /* The line box of the link to place the card by: the one under the pointer, else the first. */
  function anchorRect(link, clientY) {
    var rects = link.getClientRects();
    if (!rects.length) return link.getBoundingClientRect();
    if (clientY != null) {
      for (var i = 0; i < rects.length; i++) {
        if (clientY >= rects[i].top - 2 && clientY <= rects[i].bottom + 2) return rects[i];
      }
    }
    return rects[0];
  }

  function placeCard(link, clientY) {
    var c = card;
    var r = anchorRect(link, clientY);
    var vw = html.clientWidth || window.innerWidth;
    var vh = window.innerHeight || html.clientHeight;
    c.style.left = "0px";
    c.style.top = "0px";
    c.style.maxWidth = Math.max(120, Math.min(352, vw - 2 * MARGIN)) + "px";
    var w = c.offsetWidth;
    var h = c.offsetHeight;
    var gap = 6;
    var top;
    var below = vh - r.bottom - gap - MARGIN;
    var above = r.top - gap - MARGIN;
    if (h <= below || below >= above) {
      top = r.bottom + gap;
    } else {
      top = r.top - gap - h;
    }
    top = Math.max(MARGIN, Math.min(top, vh - h - MARGIN));
    var left = Math.max(MARGIN, Math.min(r.left, vw - w - MARGIN));
    c.style.left = Math.round(left + window.scrollX) + "px";
    c.style.top = Math.round(top + window.scrollY) + "px";
    c.setAttribute("data-side", top >= r.bottom ? "below" : "above");
  }

  function show(link, clientY) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    var data = cards();
    var entry = data && data[link.getAttribute("data-ref")];
    if (!entry) return;
    if (shownFor && shownFor !== link) hide();
    fillCard(entry);
    card.hidden = false;
    placeCard(link, clientY);
    if (shownFor !== link) {
      shownFor = link;
      savedDescribedBy = link.getAttribute("aria-describedby");
      link.setAttribute("aria-describedby", (savedDescribedBy ? savedDescribedBy + " " : "") + card.id);
    }
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (card) card.hidden = true;
    if (shownFor) {
      if (savedDescribedBy) shownFor.setAttribute("aria-describedby", savedDescribedBy);
      else shownFor.removeAttribute("aria-describedby");
    }
    shownFor = null;
    savedDescribedBy = null;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function focusVisible(node) {
    try {
      return node.matches(":focus-visible");
    } catch (e) {
      return true;
    }
  }

  function initCards() {
    if (!cards()) return;

    doc.addEventListener("pointerdown", function (e) {
      lastPointer = { type: e.pointerType || "mouse", time: Date.now(), target: refOf(e.target) };
      if (card && !card.hidden && !card.contains(e.target) && refOf(e.target) !== shownFor) hide();
    }, true);

    doc.addEventListener("pointerover", function (e) {
      if (e.pointerType === "touch") return;
      var link = refOf(e.target);
      if (!link) return;
      if (link === shownFor) {
        clearTimeout(hideTimer);
        return;
      }
      var y = e.clientY;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(link, y); }, shownFor ? 0 : SHOW_DELAY);
    });

    doc.addEventListener("pointerout", function (e) {
      if (e.pointerType === "touch") return;
      var link = refOf(e.target);
      if (!link) return;
      if (e.relatedTarget && link.contains(e.relatedTarget)) return;
      if (link === shownFor) scheduleHide();
      else clearTimeout(showTimer);
    });

    doc.addEventListener("focusin", function (e) {
      var link = refOf(e.target);
      if (!link) return;
      // A click or tap focuses the link too; only keyboard focus shows the card here.
      var recent = Date.now() - lastPointer.time < 800 && lastPointer.target === link;
      if (recent || !focusVisible(link)) return;
      show(link);
    });

    doc.addEventListener("focusout", function (e) {
      var link = refOf(e.target);
      if (link && link === shownFor) scheduleHide();
    });

    doc.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && card && !card.hidden) {
        hide();
      }
    });

    /* Touch: the first tap on a reference shows its card, a second tap on the same link follows it. */
    doc.addEventListener("click", function (e) {
      var link = refOf(e.target);
      if (!link) return;
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      var touch = lastPointer.type === "touch" && Date.now() - lastPointer.time < 1500;
      if (!touch) return;
      if (shownFor === link && card && !card.hidden) return; // second tap: follow the link
      e.preventDefault();
      show(link);
    });

    window.addEventListener("resize", function () {
      if (shownFor && card && !card.hidden) placeCard(shownFor);
    });
  }

  /* ------------------------------------------------------------------------------------------------ */
  /* Search                                                                                           */
  /* ------------------------------------------------------------------------------------------------ */

  var MAX_RESULTS = 50;
  var SNIPPET = 160;

  function kindRank(k) {
    if (k === "chapter") return 2;
    if (k === "section") return 1;
    return 0;
  }

  /* Prepare the documents once: keys, folded title and text with maps back to the originals. */
  function prepare(docs) {
    return docs.map(function (d, i) {
      var t = foldWithMap(d.t || "");
      var s = foldWithMap(d.s || "");
      return {
        doc: d,
        index: i,
        keys: String(d.f || "").split(/\s+/).filter(Boolean),
        f: String(d.f || ""),
        t: t,
        s: s
      };
    });
  }

  /* Best level at which one folded term matches a document: 0 exact key, 1 key prefix, 2 key substring,
     3 title text, 4 snippet text; -1 for none. */
  function level(p, term) {
    var best = -1;
    for (var i = 0; i < p.keys.length; i++) {
      var key = p.keys[i];
      if (key === term) return 0;
      if (key.indexOf(term) === 0) best = 1;
      else if (best !== 1 && key.indexOf(term) >= 0) best = 2;
    }
    if (best >= 0) return best;
    if (p.t.text.indexOf(term) >= 0) return 3;
    if (p.s.text.indexOf(term) >= 0) return 4;
    return -1;
  }

  function parseQuery(q) {
    var whole = fold(q);
    var words = String(q).split(/[\s\u3000]+/).map(fold).filter(Boolean);
    // Drop duplicate words; a query of one word is its whole.
    words = words.filter(function (w, i) { return words.indexOf(w) === i; });
    return { whole: whole, words: words.length > 1 ? words : [] };
  }

  function search(prepared, q) {
    var query = parseQuery(q);
    if (!query.whole) return [];
    var hits = [];
    prepared.forEach(function (p) {
      var score = level(p, query.whole);
      if (score < 0 && query.words.length) {
        var worst = 0;
        for (var i = 0; i < query.words.length; i++) {
          var l = level(p, query.words[i]);
          if (l < 0) { worst = -1; break; }
          worst = Math.max(worst, l);
        }
        score = worst < 0 ? -1 : worst + 0.5;
      }
      if (score >= 0) hits.push({ p: p, score: score });
    });
    hits.sort(function (a, b) {
      return a.score - b.score ||
        kindRank(a.p.doc.k) - kindRank(b.p.doc.k) ||
        a.p.index - b.p.index;
    });
    return hits;
  }

  /* Ranges [start, end) in the original text where the terms occur, merged and sorted. */
  function ranges(mapped, terms) {
    var out = [];
    terms.forEach(function (term) {
      if (!term) return;
      var from = 0;
      var at;
      while ((at = mapped.text.indexOf(term, from)) >= 0) {
        out.push([mapped.starts[at], mapped.ends[at + term.length - 1]]);
        from = at + term.length;
      }
    });
    out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function terms(query) {
    return [query.whole].concat(query.words);
  }

  /* Append text to a node with the given ranges marked; offset shifts ranges into text's coordinates. */
  function appendMarked(node, text, marks, offset) {
    var pos = 0;
    marks.forEach(function (r) {
      var a = r[0] - offset;
      var b = r[1] - offset;
      if (b <= 0 || a >= text.length) return;
      a = Math.max(a, pos);
      b = Math.min(b, text.length);
      if (a > pos) node.appendChild(doc.createTextNode(text.slice(pos, a)));
      if (b > a) node.appendChild(el("mark", null, text.slice(a, b)));
      pos = Math.max(pos, b);
    });
    if (pos < text.length) node.appendChild(doc.createTextNode(text.slice(pos)));
  }

  /* The snippet: about SNIPPET characters of the text around its first match, cut at word boundaries. */
  function snippet(node, original, mapped, query) {
    var marks = ranges(mapped, terms(query));
    var start = 0;
    var end = original.length;
    if (original.length > SNIPPET) {
      var first = marks.length ? marks[0][0] : 0;
      start = Math.max(0, first - Math.floor(SNIPPET / 3));
      if (start > 0) {
        var space = original.indexOf(" ", start);
        start = space >= 0 && space < first ? space + 1 : start;
      }
      end = Math.min(original.length, start + SNIPPET);
      if (end < original.length) {
        var back = original.lastIndexOf(" ", end);
        if (back > Math.max(start, marks.length ? marks[0][1] : start)) end = back;
      }
    }
    if (start > 0) node.appendChild(doc.createTextNode("…"));
    appendMarked(node, original.slice(start, end), marks, start);
    if (end < original.length) node.appendChild(doc.createTextNode("…"));
    return marks.length > 0;
  }

  function hanLangFor(d) {
    var data = cards();
    var key = String(d.u || "").replace(/\.html(#.*)?$/, "");
    if (data && data[key] && data[key].l) return data[key].l;
    if (data) {
      for (var k in data) {
        if (Object.prototype.hasOwnProperty.call(data, k) && data[k].l) return data[k].l;
      }
    }
    return "zh";
  }

  function renderResult(hit, query) {
    var d = hit.p.doc;
    var li = el("li", "search-result search-result-" + (d.k || "other"));
    var a = el("a");
    a.href = siteURL(d.u || "");
    appendMarked(a, d.t || "", ranges(hit.p.t, terms(query)), 0);
    li.appendChild(a);
    if (d.h) {
      li.appendChild(doc.createTextNode(" "));
      var han = hanSpan("", hanLangFor(d));
      appendMarked(han, d.h, ranges(foldWithMap(d.h), terms(query)), 0);
      li.appendChild(han);
    }
    li.appendChild(doc.createTextNode(" "));
    var kind = el("span", "kind", kindLabel(d.k));
    li.appendChild(kind);
    if (d.c) {
      li.appendChild(doc.createTextNode(" "));
      li.appendChild(el("span", "search-context", "in " + d.c));
    }
    // A match only in an alias: say which name matched.
    var aliases = Array.isArray(d.a) ? d.a : [];
    var titleHit = ranges(hit.p.t, terms(query)).length > 0;
    if (!titleHit) {
      for (var i = 0; i < aliases.length; i++) {
        var am = foldWithMap(aliases[i]);
        var ar = ranges(am, terms(query));
        if (ar.length) {
          var also = el("span", "search-alias", "also ");
          appendMarked(also, aliases[i], ar, 0);
          li.appendChild(doc.createTextNode(" "));
          li.appendChild(also);
          break;
        }
      }
    }
    if (d.s) {
      var p = el("p", "snippet");
      snippet(p, d.s, hit.p.s, query);
      li.appendChild(p);
    }
    return li;
  }

  function initSearch() {
    var form = doc.getElementById("search-form");
    var input = doc.getElementById("search-q");
    var status = doc.getElementById("search-status");
    var list = doc.getElementById("search-results");
    if (!form || !input || !list) return;

    var data = window.BOOK_SEARCH;
    if (!data || !Array.isArray(data.docs)) {
      if (status) status.textContent = "The search index could not be loaded.";
      return;
    }
    var prepared = null;
    var lastQuery = null;
    var timer = 0;

    function keepInAddress(q) {
      try {
        var url = new URL(window.location.href);
        if (q) url.searchParams.set("q", q);
        else url.searchParams.delete("q");
        url.hash = "";
        if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
      } catch (e) {
        /* some browsers refuse history changes on file://; the search still works */
      }
    }

    function run(q, force) {
      q = String(q || "").trim();
      if (q === lastQuery && !force) return;
      lastQuery = q;
      prepared = prepared || prepare(data.docs);
      list.textContent = "";
      if (!fold(q)) {
        if (status) status.textContent = q ? "No results" : "";
        return;
      }
      var query = parseQuery(q);
      var hits = search(prepared, q);
      var frag = doc.createDocumentFragment();
      hits.slice(0, MAX_RESULTS).forEach(function (hit) { frag.appendChild(renderResult(hit, query)); });
      list.appendChild(frag);
      if (status) {
        if (!hits.length) status.textContent = "No results for \u201c" + q + "\u201d";
        else {
          var n = hits.length === 1 ? "1 result" : hits.length + " results";
          var shown = hits.length > MAX_RESULTS ? " (the first " + MAX_RESULTS + " shown)" : "";
          status.textContent = n + " for \u201c" + q + "\u201d" + shown;
        }
      }
    }

    var initial = "";
    try {
      initial = new URLSearchParams(window.location.search).get("q") || "";
    } catch (e) {
      initial = "";
    }
    if (initial) input.value = initial;
    var header = doc.getElementById("site-search-q");
    if (header && initial) header.value = initial;

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value);
        keepInAddress(input.value.trim());
      }, 150);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run(input.value, true);
      keepInAddress(input.value.trim());
    });
    // The header's search box on the search page searches here too, without a reload.
    var headerForm = header && header.form;
    if (headerForm) {
      headerForm.addEventListener("submit", function (e) {
        e.preventDefault();
        input.value = header.value;
        run(input.value, true);
        keepInAddress(input.value.trim());
        input.focus();
      });
    }
    if (initial) run(initial, true);
  }

  function init() {
    initCards();
    initSearch();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
