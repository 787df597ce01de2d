/* mmcat: sorting of the leaderboard tables (each holds one benchmark under one protocol).
 *
 * Plain JavaScript, no dependency. Without it the tables are complete, best first. A table is a
 * leaderboard when its rows' model links carry data-score; the rank and score columns sort by
 * that number, the others by their text.
 */
(function () {
  "use strict";

  function cellValue(tr, index, numeric) {
    if (numeric) return Number(tr.querySelector("a[data-score]").dataset.score);
    return tr.cells[index].textContent.trim().toLowerCase();
  }

  function initBoard(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    Array.prototype.forEach.call(heads, function (th, index) {
      var numeric = index === 0 || index === 2;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mmcat-board-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", index === 0 ? "ascending" : "none");
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var rows = original.slice();
        if (index === 0) {
          if (dir === "descending") rows.reverse();
        } else {
          rows.sort(function (a, b) {
            var x = cellValue(a, index, numeric);
            var y = cellValue(b, index, numeric);
            var c = x < y ? -1 : x > y ? 1 : 0;
            return dir === "descending" ? -c : c;
          });
        }
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  }

  function init() {
    var tables = document.querySelectorAll("article table");
    for (var i = 0; i < tables.length; i++) {
      if (tables[i].tBodies.length && tables[i].querySelector("tbody a[data-score]")) initBoard(tables[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
