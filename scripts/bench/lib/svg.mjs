// Charts as plain SVG strings (no dependency): stacked per-bucket bars for a timeline, and
// grouped horizontal bars for comparing two things.
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const OK = '#3b82f6';
const BAD = '#dc2626';
const FONT = 'font-family="sans-serif" font-size="12"';

/**
 * One panel per timeline ({ title, ok[], bad[], bucketMs, markIndex }), stacked vertically,
 * the same y scale for all: successes (blue) and failures (red) per bucket, a line at the kill.
 */
export function timelineSvg(title, panels) {
  const width = 900;
  const panelHeight = 120;
  const left = 50;
  const top = 30;
  const gap = 40;
  const max = Math.max(1, ...panels.flatMap((p) => p.ok.map((v, i) => v + p.bad[i])));
  const height = top + panels.length * (panelHeight + gap) + 10;
  const parts = [
    `<text x="${left}" y="18" ${FONT} font-weight="bold">${esc(title)}</text>`,
    `<rect x="${width - 230}" y="8" width="10" height="10" fill="${OK}"/><text x="${width - 215}" y="17" ${FONT}>answered</text>`,
    `<rect x="${width - 140}" y="8" width="10" height="10" fill="${BAD}"/><text x="${width - 125}" y="17" ${FONT}>failed</text>`,
  ];
  panels.forEach((p, k) => {
    const y0 = top + k * (panelHeight + gap) + 15;
    const barWidth = (width - left - 10) / p.ok.length;
    const h = (v) => (v / max) * panelHeight;
    parts.push(`<text x="${left}" y="${y0 - 3}" ${FONT}>${esc(p.title)}</text>`);
    parts.push(`<line x1="${left}" y1="${y0 + panelHeight}" x2="${width - 10}" y2="${y0 + panelHeight}" stroke="#999"/>`);
    parts.push(
      `<text x="${left - 5}" y="${y0 + 10}" ${FONT} text-anchor="end">${max}</text><text x="${left - 5}" y="${y0 + panelHeight}" ${FONT} text-anchor="end">0</text>`,
    );
    p.ok.forEach((ok, i) => {
      const x = (left + i * barWidth).toFixed(1);
      const w = Math.max(0.5, barWidth - 0.3).toFixed(1);
      if (ok) parts.push(`<rect x="${x}" y="${(y0 + panelHeight - h(ok)).toFixed(1)}" width="${w}" height="${h(ok).toFixed(1)}" fill="${OK}"/>`);
      const bad = p.bad[i];
      if (bad) parts.push(`<rect x="${x}" y="${(y0 + panelHeight - h(ok) - h(bad)).toFixed(1)}" width="${w}" height="${h(bad).toFixed(1)}" fill="${BAD}"/>`);
    });
    if (p.markIndex !== null && p.markIndex !== undefined) {
      const x = (left + p.markIndex * barWidth).toFixed(1);
      parts.push(
        `<line x1="${x}" y1="${y0 - 2}" x2="${x}" y2="${y0 + panelHeight}" stroke="#111" stroke-dasharray="3,2"/><text x="${Number(x) + 3}" y="${y0 + 10}" ${FONT}>SIGKILL</text>`,
      );
    }
    const seconds = (p.ok.length * p.bucketMs) / 1000;
    const step = seconds > 10 ? 5 : 1;
    for (let s = 0; s <= seconds; s += step) {
      const x = left + ((s * 1000) / p.bucketMs) * barWidth;
      parts.push(`<text x="${x.toFixed(1)}" y="${y0 + panelHeight + 14}" ${FONT} text-anchor="middle">${s}s</text>`);
    }
  });
  return svg(
    width,
    height,
    `${parts.join('\n')}\n<text x="${width - 10}" y="${height - 4}" ${FONT} text-anchor="end">requests per ${panels[0]?.bucketMs ?? 100} ms</text>`,
  );
}

/** Horizontal bars: rows of { label, values: [{ name, value }] }, one colour per name. */
export function barsSvg(title, unit, rows) {
  const colours = ['#3b82f6', '#f59e0b', '#10b981', '#8b5cf6'];
  const names = [...new Set(rows.flatMap((r) => r.values.map((v) => v.name)))];
  const width = 700;
  const left = 170;
  const barHeight = 16;
  const rowHeight = names.length * barHeight + 12;
  const top = 40;
  const height = top + rows.length * rowHeight + 10;
  const max = Math.max(1e-9, ...rows.flatMap((r) => r.values.map((v) => v.value)));
  const scale = (v) => (v / max) * (width - left - 90);
  const parts = [`<text x="10" y="18" ${FONT} font-weight="bold">${esc(title)}</text>`];
  for (const [i, n] of names.entries())
    parts.push(
      `<rect x="${left + i * 110}" y="24" width="10" height="10" fill="${colours[i % colours.length]}"/><text x="${left + 14 + i * 110}" y="33" ${FONT}>${esc(n)}</text>`,
    );
  rows.forEach((r, k) => {
    const y0 = top + k * rowHeight;
    parts.push(`<text x="${left - 6}" y="${y0 + (names.length * barHeight) / 2 + 4}" ${FONT} text-anchor="end">${esc(r.label)}</text>`);
    r.values.forEach((v) => {
      const i = names.indexOf(v.name);
      const y = y0 + i * barHeight;
      parts.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, scale(v.value)).toFixed(1)}" height="${barHeight - 3}" fill="${colours[i % colours.length]}"/>`,
      );
      parts.push(`<text x="${(left + Math.max(1, scale(v.value)) + 4).toFixed(1)}" y="${y + barHeight - 5}" ${FONT}>${esc(`${v.value} ${unit}`)}</text>`);
    });
  });
  return svg(width, height, parts.join('\n'));
}

const svg = (width, height, body) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
