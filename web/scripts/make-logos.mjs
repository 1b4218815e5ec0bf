// Draws the app's logos as PNGs, deterministically, with nothing but zlib: a phone handset in a
// speech bubble (a call handed to messaging). Zendesk wants assets/logo.png at 320×320 with square
// corners (it rounds them itself) and assets/logo-small.png at 128×128 with transparency.
// Run: node web/scripts/make-logos.mjs   (the PNGs are committed; re-run only to change them)
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { crc32 } from './lib/crc32.mjs';

const BLUE = [31, 115, 183];
const WHITE = [255, 255, 255];

function insideRoundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

function insideTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const side = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = side(ax, ay, bx, by);
  const d2 = side(bx, by, cx, cy);
  const d3 = side(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

const bubble = (x, y) => insideRoundedRect(x, y, 0.14, 0.16, 0.86, 0.72, 0.12) ||
  insideTriangle(x, y, [0.26, 0.68], [0.44, 0.68], [0.22, 0.86]);

// The handset: an arc over the top with an earpiece and a mouthpiece at its ends.
function handset(x, y) {
  const cx = 0.5;
  const cy = 0.5;
  const dx = x - cx;
  const dy = cy - y;
  const d = Math.hypot(dx, dy);
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI;
  if (d >= 0.12 && d <= 0.18 && angle >= 30 && angle <= 150) return true;
  for (const a of [30, 150]) {
    const ex = cx + 0.15 * Math.cos((a * Math.PI) / 180);
    const ey = cy - 0.15 * Math.sin((a * Math.PI) / 180) + 0.03;
    if (insideRoundedRect(x, y, ex - 0.075, ey - 0.045, ex + 0.075, ey + 0.045, 0.04)) return true;
  }
  return false;
}

// 4×4 supersampling per pixel for smooth edges.
function draw(size, { background, bubbleColor, glyphColor }) {
  const channels = background ? 3 : 4;
  const rows = [];
  const samples = 4;
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * channels);   // filter byte 0 (none)
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let color = background;
          let alpha = background ? 1 : 0;
          if (bubble(x, y)) { color = bubbleColor; alpha = 1; }
          if (handset(x, y)) { color = glyphColor; alpha = 1; }
          if (alpha) for (let c = 0; c < 3; c++) sum[c] += color[c];
          sum[3] += alpha;
        }
      }
      const n = samples * samples;
      const at = 1 + px * channels;
      if (channels === 3) {
        for (let c = 0; c < 3; c++) row[at + c] = Math.round(sum[c] / n);
      } else {
        // Straight (non-premultiplied) alpha: colour averaged over the covered samples only.
        for (let c = 0; c < 3; c++) row[at + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
        row[at + 3] = Math.round((255 * sum[3]) / n);
      }
    }
    rows.push(row);
  }
  return encodePng(size, size, channels, Buffer.concat(rows));
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(width, height, channels, raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;                          // bit depth
  header[9] = channels === 4 ? 6 : 2;     // colour type: RGBA or RGB
  header[10] = 0; header[11] = 0; header[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function makeLogos() {
  return {
    'logo.png': draw(320, { background: BLUE, bubbleColor: WHITE, glyphColor: BLUE }),
    'logo-small.png': draw(128, { background: null, bubbleColor: BLUE, glyphColor: WHITE }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const assets = new URL('../assets/', import.meta.url);
  for (const [name, png] of Object.entries(makeLogos())) {
    writeFileSync(new URL(name, assets), png);
    console.log(`${name}: ${png.length} bytes`);
  }
}
