// The results grid: keyboard navigation and saving each row as it is left.
//
// Enter or ArrowDown: the next row (Enter goes back to the column where the row was entered, like a
// spreadsheet after Tab); ArrowUp: the previous row; Tab: the next cell (the browser's own).
// A row is saved by a JSON POST when the focus leaves it and it has changed; the server validates
// and answers {ok, outcome_label, version, error}; the row shows 已保存 or the error in place.
// Without JavaScript each row's own form posts as usual.
(function () {
  "use strict";
  var table = document.querySelector("[data-results-grid]");
  if (!table) { return; }
  var saveUrl = table.getAttribute("data-save-url");
  var csrf = table.getAttribute("data-csrf");
  var reasonInput = document.querySelector("[data-grid-reason]");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-row]"));
  var pending = 0;

  function cells(row) {
    return Array.prototype.slice.call(row.querySelectorAll("input[data-col]"));
  }
  function editable(row) {
    return cells(row).filter(function (input) { return !input.disabled; });
  }
  function values(row) {
    var data = { seat: row.getAttribute("data-seat") };
    editable(row).forEach(function (input) {
      var col = input.getAttribute("data-col");
      data[col] = input.type === "checkbox" ? input.checked : input.value.trim();
    });
    return data;
  }
  function key(data) {
    return JSON.stringify([data.theory || "", data.practical || "", !!data.absent]);
  }
  function remember(row) { row.setAttribute("data-saved", key(values(row))); }
  function dirty(row) { return row.getAttribute("data-saved") !== key(values(row)); }

  function setState(row, kind, text) {
    var state = row.querySelector("[data-state]");
    row.classList.remove("table-danger", "table-success");
    state.className = kind === "error" ? "text-danger" : kind === "saved" ? "text-success" : "text-secondary";
    if (kind === "error") { row.classList.add("table-danger"); }
    state.textContent = text;
  }

  function applyAbsent(row) {
    var absent = row.querySelector('input[data-col="absent"]');
    if (!absent) { return; }
    editable(row).forEach(function (input) {
      if (input === absent) { return; }
      if (absent.checked) { input.value = ""; }
      input.readOnly = absent.checked;
      input.classList.toggle("bg-body-secondary", absent.checked);
    });
  }

  function fill(row, payload) {
    cells(row).forEach(function (input) {
      var col = input.getAttribute("data-col");
      if (input.type === "checkbox") { input.checked = !!payload.absent; }
      else if (payload[col] !== undefined) { input.value = payload[col] === null ? "" : payload[col]; }
    });
  }

  function save(row) {
    if (row.getAttribute("data-in-flight")) {
      row.setAttribute("data-queued", "1");  // saved again, with the new version, once this one answers
      return;
    }
    if (!dirty(row)) { return; }
    row.setAttribute("data-in-flight", "1");
    var data = values(row);
    data.version = row.querySelector("[data-version]").value;
    data.reason = reasonInput ? reasonInput.value : "";
    setState(row, "saving", table.getAttribute("data-saving-text"));
    pending += 1;
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, error: table.getAttribute("data-error-text") }; });
    }).then(function (answer) {
      if (answer.version !== undefined) { row.querySelector("[data-version]").value = answer.version; }
      if (answer.outcome_label) { row.querySelector("[data-outcome]").textContent = answer.outcome_label; }
      if (answer.ok) {
        remember(row);
        setState(row, "saved", table.getAttribute("data-saved-text"));
      } else {
        if (answer.stale) { fill(row, answer); applyAbsent(row); remember(row); }
        setState(row, "error", answer.error || table.getAttribute("data-error-text"));
      }
    }).catch(function () {
      setState(row, "error", table.getAttribute("data-error-text"));
    }).then(function () {
      pending -= 1;
      row.removeAttribute("data-in-flight");
      if (row.getAttribute("data-queued")) {
        row.removeAttribute("data-queued");
        save(row);
      }
    });
  }

  function focusCell(rowIndex, col) {
    var row = rows[rowIndex];
    if (!row) { return false; }
    var list = editable(row);
    if (!list.length) { return false; }
    var target = list.filter(function (input) { return input.getAttribute("data-col") === col; })[0] || list[0];
    target.focus();
    if (target.select && target.type !== "checkbox") { target.select(); }
    return true;
  }

  function move(fromRow, col, step) {
    var index = rows.indexOf(fromRow) + step;
    while (index >= 0 && index < rows.length) {
      if (focusCell(index, col)) { return; }
      index += step;
    }
    save(fromRow);  // the first or last row: nowhere to go, so save it where it stands
  }

  rows.forEach(function (row) {
    remember(row);
    applyAbsent(row);
    var form = document.getElementById("row-" + row.getAttribute("data-seat"));
    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); save(row); });
    }
    row.addEventListener("change", function (event) {
      if (event.target.getAttribute("data-col") === "absent") { applyAbsent(row); }
    });
    row.addEventListener("focusout", function (event) {
      if (event.relatedTarget && row.contains(event.relatedTarget)) { return; }
      save(row);
    });
    row.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.hasAttribute || !input.hasAttribute("data-col")) { return; }
      var col = input.getAttribute("data-col");
      if (event.key === "Enter") {
        event.preventDefault();
        move(row, row.getAttribute("data-entry-col") || col, 1);
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        move(row, col, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(row, col, -1);
      }
    });
    row.addEventListener("focusin", function (event) {
      // The column where the row was entered (not by Tab from a previous cell of the same row).
      if (!(event.relatedTarget && row.contains(event.relatedTarget))) {
        row.setAttribute("data-entry-col", event.target.getAttribute("data-col") || "");
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = pending > 0 || rows.some(dirty);
    if (unsaved) {
      event.preventDefault();
      event.returnValue = table.getAttribute("data-unsaved-text");
    }
  });

  if (reasonInput) {
    reasonInput.focus();
  } else if (rows.length) {
    focusCell(0, null);
  }
})();
