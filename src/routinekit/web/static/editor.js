// routinekit serve: the handout page. Plain JavaScript, no build step, no libraries.
// Everything the page knows is in its form; the server keeps no patient data.
"use strict";

(function () {
  const form = document.getElementById("handout");
  const list = document.getElementById("routine");
  const library = document.getElementById("library");
  const search = document.getElementById("search");
  const announce = document.getElementById("announce");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const FAV_KEY = "routinekit.favourites"; // exercise ids only, never patient data

  function say(text) {
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 30);
  }

  // ---- routine rows ---------------------------------------------------------------------

  function rows() { return Array.from(list.querySelectorAll("li.row")); }
  function rowName(li) { return li.querySelector(".row-name").textContent; }

  function fillRow(li, id, name, dose, doseCode) {
    li.dataset.id = id;
    li.querySelector('input[name="ex"]').value = id;
    li.querySelector(".row-pic").src = "/picture/" + encodeURIComponent(id) + ".svg";
    li.querySelector(".row-name").textContent = name;
    const doseInput = li.querySelector(".dose-input");
    doseInput.id = doseInput.name = "dose-" + id;
    doseInput.placeholder = doseCode;
    doseInput.setAttribute("aria-describedby", "dose-" + id + "-default dose-" + id + "-error");
    const labels = li.querySelectorAll("label");
    labels[0].htmlFor = "dose-" + id;
    labels[1].htmlFor = "note-" + id;
    const def = li.querySelector(".default");
    def.id = "dose-" + id + "-default";
    def.textContent = "Library: " + (dose || "no dose");
    li.querySelector(".field-error").id = "dose-" + id + "-error";
    const note = li.querySelector(".note-input");
    note.id = note.name = "note-" + id;
    li.querySelector('[data-move="up"]').setAttribute("aria-label", "Move " + name + " up");
    li.querySelector('[data-move="down"]').setAttribute("aria-label", "Move " + name + " down");
    li.querySelector("[data-remove]").setAttribute("aria-label", "Remove " + name);
  }

  function inRoutine(id) { return rows().some(function (li) { return li.dataset.id === id; }); }

  function markAdded() {
    const ids = new Set(rows().map(function (li) { return li.dataset.id; }));
    library.querySelectorAll("li.ex").forEach(function (item) {
      const button = item.querySelector(".add");
      const added = ids.has(item.dataset.id);
      button.textContent = added ? "Added" : "Add";
      button.classList.toggle("added", added);
    });
    const n = rows().length;
    document.getElementById("routine-count").textContent = n + (n === 1 ? " exercise" : " exercises");
    document.getElementById("routine-empty").hidden = n > 0;
  }

  function addExercise(item) {
    const id = item.dataset.id, name = item.dataset.name;
    if (inRoutine(id)) { say(name + " is already in the routine"); return; }
    const tpl = document.getElementById("row-template");
    const li = tpl.content.querySelector("li.row").cloneNode(true);
    fillRow(li, id, name, item.dataset.dose, item.dataset.doseCode);
    list.appendChild(li);
    markAdded();
    say("Added " + name + ": number " + rows().length + " in the routine");
    changed();
  }

  function move(li, delta, button) {
    const all = rows();
    const i = all.indexOf(li), j = i + delta;
    if (j < 0 || j >= all.length) { say(rowName(li) + " is already " + (delta < 0 ? "first" : "last")); return; }
    if (delta < 0) list.insertBefore(li, all[j]); else list.insertBefore(all[j], li);
    if (button) button.focus();
    say(rowName(li) + " moved to number " + (j + 1) + " of " + all.length);
    changed();
  }

  function remove(li) {
    const all = rows(), i = all.indexOf(li), name = rowName(li);
    li.remove();
    const rest = rows();
    const next = rest[Math.min(i, rest.length - 1)];
    if (next) next.querySelector("[data-remove]").focus(); else search.focus();
    markAdded();
    say("Removed " + name);
    changed();
  }

  list.addEventListener("click", function (ev) {
    const button = ev.target.closest("button");
    if (!button) return;
    const li = button.closest("li.row");
    if (button.dataset.move) move(li, button.dataset.move === "up" ? -1 : 1, button);
    else if (button.hasAttribute("data-remove")) remove(li);
  });

  // drag and drop (the arrow buttons do the same from the keyboard)
  let dragged = null;
  list.addEventListener("dragstart", function (ev) {
    dragged = ev.target.closest("li.row");
    if (!dragged) return;
    dragged.classList.add("dragging");
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", dragged.dataset.id);
  });
  list.addEventListener("dragover", function (ev) {
    if (!dragged) return;
    ev.preventDefault();
    const over = ev.target.closest("li.row");
    if (!over || over === dragged) return;
    const box = over.getBoundingClientRect();
    const after = ev.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    say(rowName(dragged) + " moved to number " + (rows().indexOf(dragged) + 1));
    dragged = null;
    changed();
  });

  // ---- library: search, filters, favourites ---------------------------------------------

  function favourites() {
    try { return new Set(JSON.parse(window.localStorage.getItem(FAV_KEY) || "[]")); }
    catch (e) { return new Set(); }
  }
  function saveFavourites(set) {
    try { window.localStorage.setItem(FAV_KEY, JSON.stringify(Array.from(set))); } catch (e) { /* private mode */ }
  }
  function showFavourites() {
    const favs = favourites();
    library.querySelectorAll("li.ex").forEach(function (item) {
      item.querySelector(".fav").setAttribute("aria-pressed", favs.has(item.dataset.id) ? "true" : "false");
    });
  }

  function ticked() {
    return Array.from(form.querySelectorAll('input[name="exclude"]:checked')).map(function (c) { return c.value; });
  }

  function filterLibrary() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const want = {};
    document.querySelectorAll("[data-filter]").forEach(function (sel) { want[sel.dataset.filter] = sel.value; });
    const fits = document.getElementById("f-fits").checked;
    const favOnly = document.getElementById("f-fav").checked;
    const favs = favourites();
    const blocked = ticked();
    let shown = 0;
    const items = library.querySelectorAll("li.ex");
    items.forEach(function (item) {
      const d = item.dataset;
      let ok = words.every(function (w) { return d.search.indexOf(w) >= 0; });
      if (ok && want.position) ok = d.position === want.position;
      if (ok && want.phases) ok = d.phases.split(" ").indexOf(want.phases) >= 0;
      if (ok && want.regions) ok = d.regions.split(" ").indexOf(want.regions) >= 0;
      if (ok && want.equipment) ok = d.equipment.split(" ").indexOf(want.equipment) >= 0;
      if (ok && want.difficulty) ok = Number(d.difficulty) <= Number(want.difficulty);
      if (ok && fits) ok = !blocked.some(function (w) { return d.excluded.split(" ").indexOf(w) >= 0; });
      if (ok && favOnly) ok = favs.has(d.id);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    document.getElementById("lib-count").textContent =
      shown === items.length ? items.length + " exercises" : shown + " of " + items.length + " exercises";
  }

  search.addEventListener("input", filterLibrary);
  document.querySelectorAll("[data-filter], #f-fits, #f-fav").forEach(function (el) {
    el.addEventListener("change", filterLibrary);
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault(); // Enter in the search box adds the first match
    const first = library.querySelector("li.ex:not([hidden]) .add");
    if (first) first.click();
  });
  library.addEventListener("click", function (ev) {
    const button = ev.target.closest("button");
    if (!button) return;
    const item = button.closest("li.ex");
    if (button.classList.contains("add")) addExercise(item);
    else if (button.classList.contains("fav")) {
      const favs = favourites();
      if (favs.has(item.dataset.id)) favs.delete(item.dataset.id); else favs.add(item.dataset.id);
      saveFavourites(favs);
      showFavourites();
      say(item.dataset.name + (favs.has(item.dataset.id) ? " is a favourite" : " is no longer a favourite"));
      filterLibrary();
    }
  });

  const strategy = document.getElementById("strategy");
  strategy.addEventListener("change", function () {
    document.getElementById("strategy-about").textContent = strategy.selectedOptions[0].dataset.about || "";
  });

  // ---- the preview --------------------------------------------------------------------------

  const pagesBox = document.getElementById("pages");
  const status = document.getElementById("preview-status");
  const warnings = document.getElementById("warnings");
  let timer = null, asked = 0, shownAnswer = 0, busy = false, again = false;

  function changed(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, delay === undefined ? 60 : delay);
  }

  function body() {
    const data = new FormData(form);
    data.delete("routine_file");
    data.delete("patient_file");
    return data;
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    const mine = ++asked;
    status.textContent = "Updating the preview...";
    fetch("/api/preview", { method: "POST", body: body(), headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (answer) { if (mine > shownAnswer) { shownAnswer = mine; show(answer); } })
      .catch(function () { status.textContent = "The preview could not be updated. Is routinekit serve still running?"; })
      .finally(function () { busy = false; if (again) { again = false; refresh(); } });
  }

  function show(answer) {
    document.querySelectorAll(".field-error").forEach(function (p) { p.textContent = ""; });
    Object.keys(answer.field_errors || {}).forEach(function (name) {
      const p = document.getElementById(name + "-error");
      if (p) p.textContent = answer.field_errors[name];
    });
    warnings.replaceChildren();
    (answer.warnings || []).forEach(function (w) {
      const li = document.createElement("li");
      li.textContent = w;
      warnings.appendChild(li);
    });
    rows().forEach(function (li) {
      const why = (answer.reasons || {})[li.dataset.id];
      const left = (answer.left_out || []).find(function (l) { return l.id === li.dataset.id; });
      const p = li.querySelector("[data-reason]");
      p.textContent = left ? "Left out: " + left.reason : (why ? "Why here: " + why : "");
      li.classList.toggle("is-left-out", Boolean(left));
    });
    const leftBox = document.getElementById("left-out");
    const leftList = document.getElementById("left-out-list");
    leftList.replaceChildren();
    (answer.left_out || []).forEach(function (l) {
      const li = document.createElement("li");
      li.textContent = l.name + ": " + l.reason;
      leftList.appendChild(li);
    });
    leftBox.hidden = !(answer.left_out || []).length;
    if (answer.error) {
      status.textContent = answer.error;
      status.classList.add("error");
      if (!answer.pages.length) pagesBox.replaceChildren();
      return;
    }
    status.classList.remove("error");
    const n = answer.pages.length;
    status.textContent = "Showing " + n + (n === 1 ? " page" : " pages") + ", " + answer.order.length + " exercises.";
    const imgs = Array.from(pagesBox.querySelectorAll("img"));
    answer.pages.forEach(function (page, i) {
      let img = imgs[i];
      if (!img) {
        img = document.createElement("img");
        pagesBox.appendChild(img);
      }
      if (img.getAttribute("src") !== page.url) img.src = page.url;
      img.width = page.width;
      img.height = page.height;
      img.alt = "Page " + (i + 1) + " of " + n + " of the handout";
    });
    imgs.slice(n).forEach(function (img) { img.remove(); });
  }

  form.addEventListener("input", function (ev) {
    if (ev.target.type === "file") return;
    changed(ev.target.tagName === "SELECT" || ev.target.type === "checkbox" ? 0 : 250);
  });
  form.addEventListener("change", function (ev) {
    if (ev.target.name === "exclude") filterLibrary();
  });

  showFavourites();
  markAdded();
  filterLibrary();
  if (rows().length) refresh();
})();
