/**
 * A householder's signature for the demo campaign: a few pen strokes
 * written left to right as a hand would, rasterised into a small grayscale
 * PNG like the one the phone's signature pad saves. Node has deflate and
 * CRC-32 (node:zlib), which is all a PNG needs; a drawing library would be
 * a native dependency for a demo.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Random } from './random.ts';

const WIDTH = 360;
const HEIGHT = 140;
const INK = 0x22;
const PEN_RADIUS = 1.7;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** 8-bit grayscale pixels (row-major) as a PNG file. */
export function grayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** One point of a Catmull-Rom curve through p1..p2 (p0 and p3 shape it). */
function catmull(p0: number, p1: number, p2: number, p3: number, t: number): number {
  return 0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t + (-p0 + 3 * p1 - 3 * p2 + p3) * t * t * t);
}

/** A signature of `glyphs` written characters (2–3 for a Chinese name), different for every seed. */
export function signaturePng(rng: Random, glyphs = 3): Buffer {
  const px = new Uint8Array(WIDTH * HEIGHT).fill(0xff);
  const dot = (x: number, y: number) => {
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const d = Math.hypot(dx, dy);
        if (d > PEN_RADIUS + 0.5) continue;
        const xi = Math.round(x + dx);
        const yi = Math.round(y + dy);
        if (xi < 0 || yi < 0 || xi >= WIDTH || yi >= HEIGHT) continue;
        const ink = d <= PEN_RADIUS - 0.5 ? INK : 0xff - Math.round((0xff - INK) * (PEN_RADIUS + 0.5 - d));
        const i = yi * WIDTH + xi;
        px[i] = Math.min(px[i] ?? 0xff, ink);
      }
    }
  };
  const cell = (WIDTH - 40) / glyphs;
  for (let g = 0; g < glyphs; g++) {
    const left = 20 + g * cell;
    // A character is a few strokes, each a short curve through 4–6 points inside its cell.
    for (let s = rng.int(2, 4); s > 0; s--) {
      const pts: [number, number][] = [];
      const n = rng.int(4, 6);
      for (let k = 0; k < n; k++) pts.push([left + 8 + rng.next() * (cell - 16), 25 + rng.next() * (HEIGHT - 50)]);
      pts.sort((a, b) => a[0] - b[0]);
      for (let k = 0; k + 1 < pts.length; k++) {
        const at = (j: number): [number, number] => pts[Math.min(pts.length - 1, Math.max(0, j))] ?? [0, 0];
        const [a, b, c, d] = [at(k - 1), at(k), at(k + 1), at(k + 2)];
        const steps = Math.ceil(Math.hypot(c[0] - b[0], c[1] - b[1]) * 2);
        for (let i = 0; i <= steps; i++) {
          const t = i / steps;
          dot(catmull(a[0], b[0], c[0], d[0], t), catmull(a[1], b[1], c[1], d[1], t));
        }
      }
    }
  }
  return grayPng(px, WIDTH, HEIGHT);
}
