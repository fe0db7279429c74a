// Inventory management: when a classification is chosen, load its vehicles
// from /inv/getInventory/:classification_id and show them in a table,
// without reloading the page. Without JavaScript, the form's button does
// the same through a normal GET.
"use strict";

(function () {
  const select = document.getElementById("classificationList");
  const display = document.getElementById("inventory-display");
  if (!select || !display) return;

  function cell(row, text, href, title) {
    const td = document.createElement("td");
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.title = title;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  function show(vehicles) {
    display.replaceChildren();
    if (vehicles.length === 0) {
      const p = document.createElement("p");
      p.className = "notice";
      p.textContent = "Sorry, no matching vehicles could be found.";
      display.appendChild(p);
      return;
    }
    const table = document.createElement("table");
    table.className = "data";
    const head = table.createTHead().insertRow();
    for (const label of ["Vehicle Name", "Modify", "Delete"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const v of vehicles) {
      const row = body.insertRow();
      cell(row, v.inv_make + " " + v.inv_model);
      cell(row, "Modify", "/inv/edit/" + v.inv_id, "Click to update");
      cell(row, "Delete", "/inv/delete/" + v.inv_id, "Click to delete");
    }
    display.appendChild(table);
  }

  select.addEventListener("change", async function () {
    const id = select.value;
    if (!/^[0-9]+$/.test(id)) {
      display.replaceChildren();
      return;
    }
    try {
      const res = await fetch("/inv/getInventory/" + id, { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error("HTTP " + res.status);
      show(await res.json());
      history.replaceState(null, "", "/inv/?classification_id=" + id);
    } catch (err) {
      select.form.submit(); // fall back to the server-rendered list
    }
  });
})();
