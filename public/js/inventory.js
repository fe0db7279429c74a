// Inventory management: the course's client-side step. When a
// classification is chosen in #classificationList, its vehicles come from
// /inv/getInventory/:classification_id and fill the #inventoryDisplay
// table, without reloading the page. The ids and the JSON field names
// (inv_id, inv_make, inv_model) are the course's, so a script written for
// the course works here too. Without JavaScript, the form's button asks the
// server for the same table (GET /inv/?classification_id=N).
"use strict";

(function () {
  const classificationList = document.getElementById("classificationList");
  const inventoryDisplay = document.getElementById("inventoryDisplay");
  if (!classificationList || !inventoryDisplay) return;

  classificationList.addEventListener("change", async function () {
    const classification_id = classificationList.value;
    if (!/^[0-9]+$/.test(classification_id)) {
      inventoryDisplay.replaceChildren();
      return;
    }
    try {
      const response = await fetch("/inv/getInventory/" + classification_id, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      buildInventoryList(await response.json());
      history.replaceState(null, "", "/inv/?classification_id=" + classification_id);
    } catch (err) {
      classificationList.form.submit(); // fall back to the server-rendered table
    }
  });

  // buildInventoryList fills the table with DOM nodes and textContent, never
  // innerHTML: a vehicle's make or model is shown as text, whatever it holds.
  function buildInventoryList(data) {
    inventoryDisplay.replaceChildren();
    const body = document.createElement("tbody");
    if (data.length === 0) {
      cell(body.insertRow(), "Sorry, no matching vehicles could be found.");
      inventoryDisplay.appendChild(body);
      return;
    }
    const head = inventoryDisplay.createTHead().insertRow();
    for (const label of ["Vehicle Name", "Modify", "Delete"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      head.appendChild(th);
    }
    for (const vehicle of data) {
      const row = body.insertRow();
      cell(row, vehicle.inv_make + " " + vehicle.inv_model);
      cell(row, "Modify", "/inv/edit/" + vehicle.inv_id, "Click to update");
      cell(row, "Delete", "/inv/delete/" + vehicle.inv_id, "Click to delete");
    }
    inventoryDisplay.appendChild(body);
  }

  function cell(row, text, href, title) {
    const td = row.insertCell();
    if (!href) {
      td.textContent = text;
      return;
    }
    const a = document.createElement("a");
    a.href = href;
    a.title = title;
    a.textContent = text;
    td.appendChild(a);
  }
})();
