// Add a blank row to a people formset ("添加一行"); the page works without it (blank rows exist).
document.querySelectorAll("[data-formset]").forEach(function (box) {
  var prefix = box.getAttribute("data-formset");
  var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  var tbody = box.querySelector("tbody");
  var button = box.querySelector("[data-add-row]");
  if (!total || !tbody || !button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var rows = tbody.querySelectorAll("tr");
    var last = rows[rows.length - 1];
    var index = parseInt(total.value, 10);
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach(function (el) {
      ["name", "id"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/-\d+-/, "-" + index + "-"));
      });
      if (el.type === "checkbox") el.checked = false; else el.value = "";
    });
    copy.querySelectorAll(".error").forEach(function (e) { e.remove(); });
    copy.querySelector("td").textContent = String(index + 1);
    tbody.appendChild(copy);
    total.value = String(index + 1);
  });
});
