/**
 * The chart script of the Streaming page (served as /static/charts.js, after uPlot's own /static/uplot.js). Each
 * `<div data-chart="field">` becomes a uPlot chart of that field of every query's batches over time, read from
 * /api/streaming.json; the charts are drawn again after each live update. Query names reach uPlot as series
 * labels, which it sets as text.
 */
export const CHARTS_JS = `(() => {
  'use strict';
  const body = document.body;
  const COLORS = ['#5b8def', '#d0703a', '#3aa57a', '#9a5bd0', '#c04a6a'];
  let charts = [];
  const draw = async () => {
    const boxes = [...document.querySelectorAll('div[data-chart]')];
    if (boxes.length === 0 || typeof uPlot !== 'function') return;
    const response = await fetch(body.dataset.base + '/api/streaming.json');
    if (!response.ok) return;
    const { queries } = await response.json();
    for (const chart of charts) chart.destroy();
    charts = [];
    for (const box of boxes) {
      const field = box.dataset.chart;
      const tables = queries.map((q) => [q.timeS, q[field]]);
      if (tables.length === 0) continue;
      const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
      const series = [{}].concat(queries.map((q, i) => ({
        label: q.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true,
      })));
      box.textContent = '';
      charts.push(new uPlot({
        title: box.dataset.title, width: 640, height: 200, series,
        scales: { x: { time: true } }, axes: [{}, { size: 60 }],
      }, data, box));
    }
    body.dataset.charts = String(charts.length);
  };
  document.addEventListener('kindling:updated', () => { void draw(); });
  void draw();
})();
`;
