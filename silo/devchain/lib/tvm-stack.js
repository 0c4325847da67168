'use strict';

// Converts between toncenter v2's get-method stack format and @ton/core TupleItems.
const { Cell } = require('@ton/core');
const { ApiError } = require('./api-error');

function parseInteger(value) {
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) throw ApiError.badRequest(`stack number ${value} is not a safe integer: pass it as a string`);
        return BigInt(value);
    }
    if (typeof value !== 'string') throw ApiError.badRequest('stack number must be a string or an integer');
    const text = value.trim();
    const negative = text.startsWith('-');
    const digits = negative ? text.slice(1) : text;
    if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(digits)) throw ApiError.badRequest(`stack number "${value}" is not decimal or 0x-hex`);
    const parsed = BigInt(digits);
    return negative ? -parsed : parsed;
}

function parseCell(value, what) {
    if (typeof value !== 'string') throw ApiError.badRequest(`stack ${what} must be a base64 BOC string`);
    try {
        return Cell.fromBase64(value);
    } catch (err) {
        throw ApiError.badRequest(`stack ${what} is not a valid BOC: ${err.message}`);
    }
}

function parseStack(stack) {
    if (stack === undefined || stack === null || stack === '') return [];
    if (typeof stack === 'string') {
        try {
            stack = JSON.parse(stack);
        } catch {
            throw ApiError.badRequest('stack must be a JSON array of [type, value] pairs');
        }
    }
    if (!Array.isArray(stack)) throw ApiError.badRequest('stack must be an array of [type, value] pairs');
    return stack.map((entry) => {
        if (!Array.isArray(entry) || entry.length < 1) throw ApiError.badRequest('each stack entry must be a [type, value] pair');
        const [type, value] = entry;
        switch (type) {
            case 'num':
            case 'number':
            case 'int':
                return { type: 'int', value: parseInteger(value) };
            case 'cell':
            case 'tvm.Cell':
                return { type: 'cell', cell: parseCell(value, 'cell') };
            case 'slice':
            case 'tvm.Slice':
                return { type: 'slice', cell: parseCell(value, 'slice') };
            case 'null':
                return { type: 'null' };
            default:
                throw ApiError.badRequest(`unsupported stack entry type "${type}" (use num, cell, slice or null)`);
        }
    });
}

function hex(value) {
    return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

function bocOf(cell) {
    return cell.toBoc().toString('base64');
}

// Nested entries (inside tuples) use toncenter's TL object form.
function toTlEntry(item) {
    switch (item.type) {
        case 'int':
            return { '@type': 'tvm.stackEntryNumber', number: { '@type': 'tvm.numberDecimal', number: item.value.toString() } };
        case 'nan':
            return { '@type': 'tvm.stackEntryNumber', number: { '@type': 'tvm.numberDecimal', number: 'NaN' } };
        case 'null':
            return { '@type': 'tvm.stackEntryNull' };
        case 'cell':
            return { '@type': 'tvm.stackEntryCell', cell: { '@type': 'tvm.cell', bytes: bocOf(item.cell) } };
        case 'slice':
            return { '@type': 'tvm.stackEntrySlice', slice: { '@type': 'tvm.slice', bytes: bocOf(item.cell) } };
        case 'builder':
            return { '@type': 'tvm.stackEntryCell', cell: { '@type': 'tvm.cell', bytes: bocOf(item.cell) } };
        case 'tuple':
            return { '@type': 'tvm.stackEntryTuple', tuple: { '@type': 'tvm.tuple', elements: item.items.map(toTlEntry) } };
        default:
            return { '@type': 'tvm.stackEntryUnsupported' };
    }
}

function formatStack(items) {
    return items.map((item) => {
        switch (item.type) {
            case 'int':
                return ['num', hex(item.value)];
            case 'nan':
                return ['num', 'NaN'];
            case 'null':
                return ['null', null];
            case 'cell':
                return ['cell', { bytes: bocOf(item.cell) }];
            case 'slice':
                return ['slice', { bytes: bocOf(item.cell) }];
            case 'builder':
                return ['builder', { bytes: bocOf(item.cell) }];
            case 'tuple':
                return ['tuple', { '@type': 'tvm.tuple', elements: item.items.map(toTlEntry) }];
            default:
                return ['unsupported', null];
        }
    });
}

module.exports = { parseStack, formatStack, parseInteger };
