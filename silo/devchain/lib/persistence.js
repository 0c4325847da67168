'use strict';

const fs = require('node:fs');
const path = require('node:path');

const STATE_FILE = 'devchain-state.json';
const LOCK_FILE = 'devchain.lock';

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

function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return err.code === 'EPERM';
    }
}

// Two dev chains writing one data directory would overwrite each other's state: the second one refuses to start.
// A lock left by a process that no longer runs is taken over.
function lockDataDir(dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    const lockPath = path.join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
            return () => {
                try {
                    if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
                } catch {
                    // Already gone.
                }
            };
        } catch (err) {
            if (err.code !== 'EEXIST') throw err;
        }
        const owner = Number(fs.readFileSync(lockPath, 'utf8'));
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
            throw new Error(`another dev chain (pid ${owner}) is using ${dataDir}`);
        }
        fs.unlinkSync(lockPath);
    }
    throw new Error(`cannot lock ${dataDir}`);
}

module.exports = { saveState, loadState, lockDataDir, STATE_FILE };
