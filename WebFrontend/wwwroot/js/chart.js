// Small per-minute SVG charts for the supervisor dashboard.
// Built node by node with createElementNS: the page's CSP (style-src 'self') refuses style attributes,
// so geometry goes into plain SVG attributes and every colour and font into classes in site.css.

const SVG_NS = 'http://www.w3.org/2000/svg';
// viewBox units; CSS scales the whole chart to the card's width.
const WIDTH = 300;
const HEIGHT = 96;
const PAD = { left: 24, right: 4, top: 6, bottom: 14 };

function svg(tag, attributes = {}, className = '') {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  if (className) el.setAttribute('class', className);
  return el;
}

function text(x, y, content, className) {
  const el = svg('text', { x, y }, className);
  el.textContent = content; // labels are numbers, but text nodes keep them from ever being markup
  return el;
}

// Two decimals are plenty at this size and keep the points attribute short.
const r2 = (n) => Math.round(n * 100) / 100;

// Anything but a finite, non-negative count becomes 0: a chart should not break on one odd minute.
function counts(values) {
  return Array.isArray(values) ? values.map((v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : 0)) : [];
}

function minuteName(minutesAgo) {
  return minutesAgo === 0 ? 'this minute' : `${minutesAgo} min ago`;
}

/**
 * A chart of one value per minute, oldest first (the last is the current minute).
 * kind: 'line' (a level, e.g. customers waiting) or 'bars' (a count per minute, e.g. customers served).
 * className: extra classes for the <svg>; label: what the chart shows, for screen readers and tooltips.
 */
export function minuteChart(values, { kind = 'line', className = '', label = '' } = {}) {
  const data = counts(values);
  const n = Math.max(data.length, 1);
  const max = data.length ? Math.max(...data) : 0;
  const scale = Math.max(max, 1); // an empty hour still gets a baseline instead of dividing by zero
  const x0 = PAD.left;
  const x1 = WIDTH - PAD.right;
  const top = PAD.top;
  const base = HEIGHT - PAD.bottom;
  const slot = (x1 - x0) / n;
  const y = (v) => r2(base - (v / scale) * (base - top));

  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', focusable: 'false' },
    `chart chart-kind-${kind} ${className}`.trim()); // not chart-line: that class is the polyline's
  const now = data.length ? data[data.length - 1] : 0;
  root.setAttribute('aria-label', `${label}: highest ${max}, ${minuteName(0)} ${now}`);
  const title = svg('title');
  title.textContent = root.getAttribute('aria-label');
  root.append(title);

  // Axes, a dashed line at the highest value, and the labels that give the scale.
  root.append(
    svg('line', { x1: x0, y1: top, x2: x1, y2: top }, 'chart-grid'),
    svg('line', { x1: x0, y1: top, x2: x0, y2: base }, 'chart-axis'),
    svg('line', { x1: x0, y1: base, x2: x1, y2: base }, 'chart-axis'),
    text(x0 - 3, top + 3, String(max), 'chart-label chart-label-end'),
    text(x0 - 3, base + 1, '0', 'chart-label chart-label-end'),
    text(x0, HEIGHT - 3, `−${n} min`, 'chart-label'),
    text(x1, HEIGHT - 3, 'now', 'chart-label chart-label-end'),
  );

  if (kind === 'bars') {
    const gap = Math.min(0.5, slot / 4);
    data.forEach((v, i) => {
      if (v === 0) return; // nothing to draw; the baseline says it
      root.append(svg('rect', {
        x: r2(x0 + i * slot + gap), y: y(v), width: r2(slot - 2 * gap), height: r2(base - y(v)),
      }, 'chart-bar'));
    });
  } else if (data.length) {
    const points = data.map((v, i) => `${r2(x0 + (i + 0.5) * slot)},${y(v)}`);
    const first = r2(x0 + 0.5 * slot);
    const last = r2(x0 + (data.length - 0.5) * slot);
    root.append(
      svg('polygon', { points: `${first},${base} ${points.join(' ')} ${last},${base}` }, 'chart-area'),
      svg('polyline', { points: points.join(' ') }, 'chart-line'),
    );
  }

  // An invisible column per minute, so hovering shows that minute's exact value.
  data.forEach((v, i) => {
    const hit = svg('rect', { x: r2(x0 + i * slot), y: top, width: r2(slot), height: base - top }, 'chart-hit');
    const tip = svg('title');
    tip.textContent = `${minuteName(data.length - 1 - i)}: ${v}`;
    hit.append(tip);
    root.append(hit);
  });

  return root;
}
