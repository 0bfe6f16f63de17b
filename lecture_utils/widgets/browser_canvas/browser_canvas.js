// Browser side of lecture_utils.widgets.browser_canvas: a background PNG (drawn once by
// matplotlib in the kernel) with the panel's moving artists drawn on top, from the data the
// kernel sends on every update. No imports, nothing fetched: anywidget inlines this module.
//
// frame.items (canvas pixels, origin top left, figure dpi):
//   {kind: "line", xy: Float32 x,y pairs, color, lw, dash, dash_offset, cap, join, marker?, clip?}
//   {kind: "text", text, x, y, color, font, size, linespacing, ha, va, rotation, clip?}
//   {kind: "polygon", rings: [Float32 x,y pairs], fill, edge, lw, clip?}

function floats(view) {
  if (!view) return new Float32Array(0);
  if (view instanceof Float32Array) return view;
  if (Array.isArray(view)) return Float32Array.from(view);
  return new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4);
}

function clipTo(ctx, clip) {
  if (!clip) return;
  ctx.beginPath();
  ctx.rect(clip[0], clip[1], clip[2], clip[3]);
  ctx.clip();
}

function tracePath(ctx, xy, close) {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
    if (pen) ctx.lineTo(x, y); else { ctx.moveTo(x, y); pen = true; }
  }
  if (close) ctx.closePath();
}

function marker(ctx, m, x, y) {
  const r = m.size / 2;
  ctx.beginPath();
  switch (m.shape) {
    case "point": ctx.arc(x, y, r / 2, 0, 2 * Math.PI); break;
    case "square": ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
    case "diamond": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); break;
    case "triangle_up": ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); ctx.closePath(); break;
    case "triangle_down": ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r); ctx.lineTo(x - r, y - r); ctx.closePath(); break;
    case "x": ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); break;
    case "plus": ctx.moveTo(x - r, y); ctx.lineTo(x + r, y); ctx.moveTo(x, y - r); ctx.lineTo(x, y + r); break;
    case "vline": ctx.moveTo(x, y - r); ctx.lineTo(x, y + r); break;
    case "hline": ctx.moveTo(x - r, y); ctx.lineTo(x + r, y); break;
    default: ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
  const open = ["x", "plus", "vline", "hline"].includes(m.shape);
  if (m.face && !open) { ctx.fillStyle = m.face; ctx.fill(); }
  if (m.edge && m.ew > 0) { ctx.lineWidth = m.ew; ctx.strokeStyle = m.edge; ctx.setLineDash([]); ctx.stroke(); }
}

function drawLine(ctx, it) {
  const xy = floats(it.xy);
  if (it.color && it.lw > 0) {
    tracePath(ctx, xy, false);
    ctx.strokeStyle = it.color;
    ctx.lineWidth = it.lw;
    ctx.setLineDash(it.dash || []);
    ctx.lineDashOffset = it.dash_offset || 0;
    ctx.lineCap = it.cap || "butt";
    ctx.lineJoin = it.join || "round";
    ctx.stroke();
  }
  if (it.marker) {
    for (let i = 0; i + 1 < xy.length; i += 2) {
      if (Number.isFinite(xy[i]) && Number.isFinite(xy[i + 1])) marker(ctx, it.marker, xy[i], xy[i + 1]);
    }
  }
}

function drawText(ctx, it) {
  if (!it.color) return;
  ctx.font = it.font;
  ctx.fillStyle = it.color;
  ctx.textAlign = it.ha === "center" ? "center" : it.ha === "right" ? "right" : "left";
  ctx.textBaseline = it.va;
  ctx.translate(it.x, it.y);
  if (it.rotation) ctx.rotate(-it.rotation * Math.PI / 180);
  const lines = String(it.text).split("\n"), step = it.size * (it.linespacing || 1.2);
  const first = it.va === "alphabetic" || it.va === "bottom" ? -(lines.length - 1) * step
    : it.va === "middle" ? -(lines.length - 1) * step / 2 : 0;
  lines.forEach((line, i) => ctx.fillText(line, 0, first + i * step));
}

function drawPolygon(ctx, it) {
  ctx.beginPath();
  for (const ring of it.rings || []) {
    const xy = floats(ring);
    for (let i = 0; i + 1 < xy.length; i += 2) {
      if (i === 0) ctx.moveTo(xy[i], xy[i + 1]); else ctx.lineTo(xy[i], xy[i + 1]);
    }
    ctx.closePath();
  }
  if (it.fill) { ctx.fillStyle = it.fill; ctx.fill(); }
  if (it.edge && it.lw > 0) { ctx.strokeStyle = it.edge; ctx.lineWidth = it.lw; ctx.setLineDash([]); ctx.stroke(); }
}

const DRAW = { line: drawLine, text: drawText, polygon: drawPolygon };

/** Draw one frame: background image (CSS size w × h), then every item, at device-pixel ratio r. */
export function drawFrame(ctx, background, items, w, h, r) {
  ctx.setTransform(r, 0, 0, r, 0, 0);
  ctx.clearRect(0, 0, w, h);
  if (background) ctx.drawImage(background, 0, 0, w, h);
  for (const it of items || []) {
    const draw = DRAW[it.kind];
    if (!draw) continue;
    ctx.save();
    clipTo(ctx, it.clip);
    draw(ctx, it);
    ctx.restore();
  }
}

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "lecture-canvas";
  el.classList.add("lecture-canvas-view");
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  let background = null, requested = 0, loading = false, alive = true;

  const ratio = () => window.devicePixelRatio || 1;
  const resize = () => {
    const [w, h] = model.get("size");
    canvas.width = Math.round(w * ratio());
    canvas.height = Math.round(h * ratio());
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  };
  const draw = () => {
    if (!alive || loading) return;  // a new background is being decoded: draw when it is ready
    const start = performance.now();
    const [w, h] = model.get("size");
    drawFrame(ctx, background, (model.get("frame") || {}).items, w, h, ratio());
    // for benchmarks and tests: when this view drew, and how long it took
    canvas.dispatchEvent(new CustomEvent("lecture-canvas-render", {
      bubbles: true, detail: { start, end: performance.now(), seq: (model.get("frame") || {}).seq } }));
  };
  const loadBackground = () => {
    const data = model.get("background");
    const token = ++requested;
    if (!data || !data.byteLength) { background = null; loading = false; draw(); return; }
    loading = true;
    createImageBitmap(new Blob([data], { type: "image/png" })).then((bitmap) => {
      if (token !== requested) { bitmap.close(); return; }  // a newer background has arrived
      if (background && background.close) background.close();
      background = bitmap;
      loading = false;
      draw();
    }).catch((err) => {
      console.error("lecture browser canvas: background image failed", err);
      if (token === requested) { loading = false; draw(); }
    });
  };

  const onFrame = () => draw();
  const onSize = () => { resize(); draw(); };
  model.on("change:frame", onFrame);
  model.on("change:background", loadBackground);
  model.on("change:size", onSize);
  resize();
  loadBackground();
  return () => {
    alive = false;
    model.off("change:frame", onFrame);
    model.off("change:background", loadBackground);
    model.off("change:size", onSize);
  };
}

export default { render };
