// Dashboard charts (Chart.js, served from static/vendor/chartjs). Each <canvas data-chart-table="ID"> is drawn from
// the accessible table with that id: row headers are the labels, the first cell with data-count is the number, so
// the chart and the table always show the same figures. Without JavaScript the tables alone carry everything.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  const PALETTE = ["#a4161a", "#e0a800", "#1d6fa5", "#2a9d4b", "#6f42c1", "#fd7e14", "#20c997", "#6c757d",
    "#d63384", "#0dcaf0"];

  function tableData(table) {
    const labels = [];
    const counts = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      const head = row.querySelector("th");
      const cell = row.querySelector("td[data-count]");
      if (!head || !cell) return;
      labels.push(head.textContent.trim());
      counts.push(Number(cell.dataset.count) || 0);
    });
    return { labels: labels, counts: counts };
  }

  // A long unit name ("Đảng bộ Sở Nông nghiệp và Môi trường") is cut at the y axis: Chart.js prints an array
  // label as several lines, so the name is broken between words into lines of at most LABEL_CHARS characters.
  const LABEL_CHARS = 24;

  function wrapped(label) {
    const lines = [];
    label.split(/\s+/).forEach(function (word) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= LABEL_CHARS) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines.length > 1 ? lines : label;
  }

  function draw(canvas) {
    const table = document.getElementById(canvas.dataset.chartTable);
    if (!table) return;
    const data = tableData(table);
    const kind = canvas.dataset.chartKind === "doughnut" ? "doughnut" : "bar";
    const colors = data.labels.map(function (_label, i) { return PALETTE[i % PALETTE.length]; });
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: kind === "bar" ? data.labels.map(wrapped) : data.labels,
        datasets: [{ label: "Số mô hình", data: data.counts, backgroundColor: kind === "bar" ? "#a4161a" : colors }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: kind === "bar" ? "y" : undefined,
        plugins: { legend: { display: kind !== "bar", position: "bottom" } },
        // Every unit keeps its name: Chart.js would otherwise skip every other label once they wrap.
        scales: kind === "bar" ? {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false, font: { size: 11 }, lineHeight: 1.1 } },
        } : {},
      },
    });
    canvas.dataset.chartReady = "1";
  }

  document.querySelectorAll("canvas[data-chart-table]").forEach(draw);
})();
