// Dictionaries (HashmapE) built by @ton/core 0.63.1 with a fixed pseudo-random sequence, for the C# reader.
const { beginCell, Dictionary } = require('@ton/core');
const fs = require('fs');
let state = 20261124n;
const next = (bits) => { let v = 0n; for (let i = 0; i < bits; i += 32) { state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n); v = (v << 32n) | (state >> 32n); } return v & ((1n << BigInt(bits)) - 1n); };
const cases = [];
const make = (name, keyBits, count, valueKind, dense) => {
  const keys = keyBits <= 32 ? Dictionary.Keys.Uint(keyBits) : Dictionary.Keys.BigUint(keyBits);
  const values = valueKind === 'varuint32' ? Dictionary.Values.BigVarUint(5) : Dictionary.Values.Uint(32);
  const dict = Dictionary.empty(keys, values);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    const k = dense ? BigInt(i) : next(keyBits);
    const v = valueKind === 'varuint32' ? next(Number(next(8) % 248n) + 1) : next(32);
    dict.set(keyBits <= 32 ? Number(k) : k, valueKind === 'varuint32' ? v : Number(v));
    entries.set(k.toString(), v.toString());
  }
  const root = beginCell().storeDictDirect(dict).endCell();
  const sorted = [...entries.entries()].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
  cases.push({ name, keyBits, valueKind, boc: root.toBoc({ idx: false, crc32: false }).toString('hex'), entries: sorted.map(([k, v]) => ({ key: k, value: v })) });
};
make('dense15', 15, 254, 'uint32', true);
make('single15', 15, 1, 'uint32', true);
make('sparse32', 32, 100, 'varuint32', false);
make('sparse13', 13, 300, 'uint32', false);
make('sparse256', 256, 50, 'uint32', false);
make('sparse64', 64, 3, 'varuint32', false);
fs.writeFileSync(process.argv[2] || 'dictionaries.json', JSON.stringify({ generator: '@ton/core 0.63.1 Dictionary, scripts/generate-dictionaries.js', cases }, null, 1));
console.log(cases.map(c => `${c.name}:${c.entries.length}`).join(' '));
