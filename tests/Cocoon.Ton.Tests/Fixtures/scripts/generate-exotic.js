// Merkle proofs and updates (exotic cells with pruned branches) built by @ton/core 0.63.1, with their hashes.
const { beginCell, Dictionary, Cell } = require('@ton/core');
const fs = require('fs');
const dict = Dictionary.empty(Dictionary.Keys.Uint(16), Dictionary.Values.Uint(32));
for (let i = 0; i < 40; i++) dict.set(i * 37 % 1000, i * 1000003 % 4294967291);
const root = beginCell().storeDictDirect(dict).endCell();
const out = { generator: '@ton/core 0.63.1 Dictionary.generateMerkleProof / generateMerkleUpdate, scripts/generate-exotic.js', dictRootHash: root.hash().toString('hex'), cases: [] };
const add = (name, cell) => out.cases.push({ name, boc: cell.toBoc({ idx: false, crc32: false }).toString('hex'), type: cell.type, level: cell.level(),
  hash: cell.hash().toString('hex'), depth: cell.depth(), hash0: cell.hash(0).toString('hex'), depth0: cell.depth(0),
  childHashes: cell.refs.map(r => [0,1,2,3].map(l => r.hash(l).toString('hex'))), childDepths: cell.refs.map(r => [0,1,2,3].map(l => r.depth(l))) });
add('proofOneKey', dict.generateMerkleProof([37]));
add('proofThreeKeys', dict.generateMerkleProof([0, 74, 333]));
add('update', dict.generateMerkleUpdate(37, 42));
fs.writeFileSync(process.argv[2] || 'exotic.json', JSON.stringify(out, null, 1));
for (const c of out.cases) console.log(c.name, c.type, c.level, c.hash, c.depth, c.childHashes.length);
