'use strict';
// Deterministic seeded PRNG (sfc32 seeded through splitmix32) and helpers.
// The generator draws every random choice from one of these, so a seed gives the same cases on every machine.

function splitmix32(a) {
  return function () {
    a |= 0; a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16); t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15; t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

class Rng {
  constructor(seed) {
    const sm = splitmix32(Number(seed) >>> 0);
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32() {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  float() { return this.u32() / 4294967296; }
  /** integer in [lo, hi] inclusive */
  int(lo, hi) { return lo + Math.floor(this.float() * (hi - lo + 1)); }
  chance(p) { return this.float() < p; }
  pick(arr) {
    if (!arr || arr.length === 0) throw new Error('pick from empty array');
    return arr[Math.floor(this.float() * arr.length)];
  }
  /** weighted pick: pairs [[weight, value], ...] */
  wpick(pairs) {
    let total = 0;
    for (const [w] of pairs) total += w;
    let x = this.float() * total;
    for (const [w, v] of pairs) { if ((x -= w) < 0) return v; }
    return pairs[pairs.length - 1][1];
  }
  /** up to n distinct elements (order random) */
  sample(arr, n) {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.float() * copy.length), 1)[0]);
    return out;
  }
  /** derive an independent generator */
  fork(tag) { return new Rng((this.u32() ^ Math.imul(Number(tag) | 0, 0x9e3779b1)) >>> 0); }
}

module.exports = { Rng };
