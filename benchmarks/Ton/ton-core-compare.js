// The @ton/core side of `dotnet run --project benchmarks -c Release -- ton-compare`: times the same operations on the
// same bag of cells as the C# side and prints one JSON line. Usage: node ton-core-compare.js BOC_FILE ITERATIONS ROUNDS
// (@ton/core is resolved from silo/devchain/node_modules, passed in NODE_PATH by the C# side).
'use strict';
const fs = require('fs');
const { Cell, beginCell } = require('@ton/core');

const [bocFile, iterationsText, roundsText] = process.argv.slice(2);
const boc = fs.readFileSync(bocFile);
const iterations = Number(iterationsText);
const rounds = Number(roundsText);

const tree = Cell.fromBoc(boc)[0];
const cells = [];
const seen = new Set();
(function collect(cell) {
    const key = cell.hash().toString('hex');
    if (seen.has(key)) return;
    seen.add(key);
    for (const r of cell.refs) collect(r);
    cells.push(cell);
})(tree);

// Best of `rounds`, each `iterations` runs: nanoseconds per run.
function time(run) {
    for (let i = 0; i < Math.max(5, iterations / 10); i++) run();
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < iterations; i++) run();
        best = Math.min(best, Number(process.hrtime.bigint() - start) / iterations);
    }
    return best;
}

let sink = 0;
const result = {
    library: '@ton/core ' + require('@ton/core/package.json').version,
    node: process.version,
    cells: cells.length,
    boc_bytes: boc.length,
    parse_ns: time(() => { sink += Cell.fromBoc(boc)[0].refs.length; }),
    serialize_ns: time(() => { sink += tree.toBoc({ idx: false, crc32: false }).length; }),
    serialize_index_crc_ns: time(() => { sink += tree.toBoc({ idx: true, crc32: true }).length; }),
    // Builds every cell of the tree again from its bits and (already built) references: one representation hash each.
    hash_all_ns: time(() => { for (const c of cells) sink += beginCell().storeSlice(c.beginParse()).endCell().hash()[0]; }),
};
result.sink = sink % 7;
console.log(JSON.stringify(result));
