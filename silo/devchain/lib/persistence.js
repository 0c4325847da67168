'use strict';

const fs = require('node:fs');
const path = require('node:path');

const STATE_FILE = 'devchain-state.json';

// Writes the state atomically: a crash mid-write leaves the previous file intact, never a torn one.
function saveState(dataDir, state) {
    fs.mkdirSync(dataDir, { recursive: true });
    const target = path.join(dataDir, STATE_FILE);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
        fs.writeSync(fd, JSON.stringify(state));
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
}

// Returns the saved state, or null when the data directory holds none yet.
function loadState(dataDir) {
    const target = path.join(dataDir, STATE_FILE);
    let text;
    try {
        text = fs.readFileSync(target, 'utf8');
    } catch (err) {
        if (err.code === 'ENOENT') return null;
        throw err;
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new Error(`dev chain state ${target} is not valid JSON (${err.message}); move it away to start a fresh chain`);
    }
}

module.exports = { saveState, loadState, STATE_FILE };
